/** "1 note", "2 notes", "1,204 notes": a count with the word that agrees with it. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
