/**
 * Bulk import: Segment messages from NDJSON or CSV, CRM/POS customers, daily ad spend, and the
 * import history. See README.md for the pipeline and its throughput.
 */
export { ImportService, csvRecordMapper, newImportId, type ImportOutcome, type SpendOutcome, type ImportRun, type ImportHistoryEntry } from './service.ts';
export { EventImport, type EventImportSpec } from './event-import.ts';
export { ImportPool, defaultImportWorkers } from './import-pool.ts';
export { readLineChunks, splitAtLines, countLines, NDJSON_CHUNK_BYTES } from './line-chunks.ts';
export { readCsvRows, normalizeHeaderName, type CsvBatch } from './csv-rows.ts';
export { mapEventHeader, eventRecord } from './events-csv.ts';
export { mapCustomerHeader, customerRecord, type CustomerColumns } from './customers.ts';
export { mapSpendHeader, parseSpendRow, spendRowSchema, type SpendRow, type SpendColumns } from './spend.ts';
export { RejectsFile, rejectsPathFor } from './rejects-file.ts';
export { deterministicId } from './process-task.ts';
export {
  IMPORT_KINDS,
  csvRowSchema,
  csvRowsBodySchema,
  addCounts,
  emptyCounts,
  type ImportKind,
  type ImportCounts,
  type ImportSummary,
  type LineReject,
  type RejectSink,
  type CsvRow,
  type MessageRecord,
} from './types.ts';
