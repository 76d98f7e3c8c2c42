// Types for model-output.mjs (plain JS so that the UI scenarios, run by node, share it).
export interface Vector {
  name: string;
  href: string;
  text: string;
}
export function destinations(evil: string): Array<[string, string]>;
export const encodings: Array<[string, (href: string) => string]>;
export const syntaxes: Array<[string, (href: string) => string]>;
export function htmlPayloads(evil: string): string[];
export function linkVectors(evil: string): Vector[];
export function allVectors(evil: string): Vector[];
export function batches(evil: string, size?: number): string[];
