// The image annotator's heavy half (decoders, codecs, PNG encoder), bundled on its own as
// dist/images.js and loaded on first use, so activating the extension stays cheap.

export { AnnotatorSession } from './session';
