/** brat standoff corpora: reading (`.txt` + `.ann` pairs, recursively) and writing (byte-exact round trip). */
export { parseAnn, type ParseAnnOptions, type ParsedAnn } from './parse.js';
export { readBratCorpus, readBratDocument, type ReadBratDocumentOptions, type ReadBratOptions } from './read.js';
export { serializeAnn } from './serialize.js';
export { safeRelativePath, writeBratCorpus, writeBratDocument, type WriteBratOptions } from './write.js';
export type { ReadReport, ReadWarning } from '../read-report.js';
