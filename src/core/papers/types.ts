// Shapes of the papers feature. Plain data, no behaviour.

/** One rebuilt paragraph of a page, in reading order. */
export interface Paragraph {
  /** 1-based page number. */
  page: number;
  text: string;
  /** The heading this paragraph sits under ('' before the first heading). */
  section: string;
  /** The paragraph is a heading itself. */
  heading?: boolean;
  /** Inside a reference list (excluded from the index). */
  reference?: boolean;
  /** Licence, copyright or correspondence boilerplate (excluded from the index). */
  boilerplate?: boolean;
}

export interface PaperMeta {
  title: string;
  authors: string[];
  year?: number;
  pages: number;
  journal?: string;
  doi?: string;
  /** The metadata came from this Zotero item (its key and library), not from the PDF. */
  zotero?: { key: string; library: number };
}

/** Metadata known better than the PDF says (from Zotero): replaces the PDF's guess. */
export type KnownMeta = Omit<PaperMeta, 'pages'>;

export type PaperState = 'indexed' | 'needs-ocr' | 'encrypted' | 'failed';

export interface ExtractedPaper {
  meta: PaperMeta;
  paragraphs: Paragraph[];
  /** 1-based pages that paint images but carry (almost) no text. */
  ocrPages: number[];
  /** 1-based pages pdf.js could not read (damaged content). */
  brokenPages: number[];
}

export interface Chunk {
  /** `${paperId}#${n}` */
  id: string;
  paperId: string;
  pageStart: number;
  pageEnd: number;
  section: string;
  text: string;
}

/** What the library remembers about one attached file. */
export interface PaperRecord {
  id: string;
  file: string;
  /** sha256 of the bytes that were indexed. */
  hash: string;
  size: number;
  mtimeMs: number;
  state: PaperState;
  /** Why the state is not 'indexed', or a note such as "3 pages need OCR". */
  reason?: string;
  meta?: PaperMeta;
  chunks: number;
  extractor: string;
  /** The file in chunks/ holding this paper's chunks (named by their content). */
  chunkFile?: string;
  /** Password-protected: the text is kept in memory for this session only (stored as 'encrypted'). */
  sessionOnly?: boolean;
}

export interface SearchHit {
  chunk: Chunk;
  paper: PaperRecord;
  score: number;
  /** Fraction of the question's content words that the chunk contains. */
  coverage: number;
  /** How it was found when search by meaning was on: by its words, its meaning, or both. */
  via?: 'words' | 'meaning' | 'both';
}
