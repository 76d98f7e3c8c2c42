// The image annotator's heavy half (decoders, codecs, PNG encoder), bundled on its own as
// dist/images.js and loaded on first use, so activating the extension stays cheap.

export { renderForChat } from './attachment';
export { AnnotatorSession } from './session';
