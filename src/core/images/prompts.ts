// Default prompts per kind of image (editable by the user; the setting medgemma.image.prompts
// overrides them). System text follows Google's MedGemma examples.

import type { ImageKind } from './types';

export interface ImagePrompt {
  system: string;
  whole: string;
  region: string;
}

export const REGION_NOTE =
  'The first image is a close-up of the region of interest; the second is the whole image with that region outlined in yellow.';

export const DEFAULT_PROMPTS: Record<ImageKind, ImagePrompt> = {
  cxr: {
    system: 'You are an expert radiologist.',
    whole: 'Describe this chest X-ray. List the findings, then give an impression.',
    region: `${REGION_NOTE} Describe the findings in the outlined region of this chest X-ray.`,
  },
  ct: {
    system: 'You are an expert radiologist.',
    whole: 'Describe this CT image. List the findings, then give an impression.',
    region: `${REGION_NOTE} Describe the findings in the outlined region of this CT image.`,
  },
  mri: {
    system: 'You are an expert radiologist.',
    whole: 'Describe this MRI image. List the findings, then give an impression.',
    region: `${REGION_NOTE} Describe the findings in the outlined region of this MRI image.`,
  },
  pathology: {
    system: 'You are an expert pathologist.',
    whole: 'Describe this histopathology image: tissue, architecture, cells and any abnormal features.',
    region: `${REGION_NOTE} Describe the tissue and cells in the outlined region.`,
  },
  dermatology: {
    system: 'You are an expert dermatologist.',
    whole: 'Describe this skin lesion (dermoscopy): colour, borders, structures, and the differential diagnosis.',
    region: `${REGION_NOTE} Describe the outlined part of this skin lesion.`,
  },
  fundus: {
    system: 'You are an expert ophthalmologist.',
    whole: 'Describe this fundus photograph: optic disc, macula, vessels and any lesions.',
    region: `${REGION_NOTE} Describe the outlined region of this fundus photograph.`,
  },
  other: {
    system: 'You are an expert in medical imaging.',
    whole: 'Describe this medical image.',
    region: `${REGION_NOTE} Describe the outlined region.`,
  },
};

export const KIND_LABELS: Record<ImageKind, string> = {
  cxr: 'Chest X-ray',
  ct: 'CT',
  mri: 'MRI',
  pathology: 'Pathology',
  dermatology: 'Dermatology',
  fundus: 'Fundus',
  other: 'Other',
};

export function promptFor(kind: ImageKind, overrides?: Partial<Record<ImageKind, Partial<ImagePrompt>>>): ImagePrompt {
  return { ...DEFAULT_PROMPTS[kind], ...(overrides?.[kind] ?? {}) };
}

/** The region prompt for a server that takes one image: only the whole image with the box. */
export function singleImageRegionPrompt(prompt: string): string {
  return prompt.includes(REGION_NOTE)
    ? prompt.replace(REGION_NOTE, 'The region of interest is outlined in yellow.')
    : `The region of interest is outlined in yellow. ${prompt}`;
}
