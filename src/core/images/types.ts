// Plain shapes of decoded images. No behaviour; shared by the CLI, the extension host and the
// webview bundle (so nothing here may import Node).

/** One decoded frame. Grey frames keep modality values (after rescale slope/intercept). */
export type Frame =
  | { kind: 'gray'; width: number; height: number; data: Float32Array }
  | { kind: 'rgb'; width: number; height: number; data: Uint8Array };

export interface Window {
  center: number;
  width: number;
}

export interface NamedWindow extends Window {
  name: string;
}

export interface HeaderTag {
  tag: string; // "(0028,0010)"
  name: string;
  value: string;
}

export type ImageFormat = 'dicom' | 'png' | 'jpeg' | 'webp';

/** What the prompt picker suggests for an image. */
export type ImageKind = 'cxr' | 'ct' | 'mri' | 'pathology' | 'dermatology' | 'fundus' | 'other';

export interface ImageInfo {
  format: ImageFormat;
  /** Size of the stored image, in its own pixels: annotations use these coordinates. */
  width: number;
  height: number;
  frames: number;
  /** Decoded frames are smaller than the stored image by this factor (1 = full size). */
  scale: number;
  /** Grey images only: MONOCHROME1 (high values are dark). */
  invert: boolean;
  /** Window from the header or, lacking one, the full range of the first frame. */
  defaultWindow?: Window;
  /** Windows named in the header (WindowCenterWidthExplanation) plus the presets. */
  windows: NamedWindow[];
  modality?: string;
  kind: ImageKind;
  /** DICOM only: main tags for the header panel. Shown locally, never sent or logged. */
  header: HeaderTag[];
  /** Burned In Annotation (0028,0301) is YES: text in the pixels may identify the patient. */
  burnedInAnnotation: boolean;
  /** Non-fatal notes: downscaled, odd encoding read leniently, ... */
  notes: string[];
  transferSyntax?: string;
}
