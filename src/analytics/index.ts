/**
 * Analytics: KPIs, retention and cohorts (and funnels, paths) over the store. See README.md.
 */
export { kpisFromStore, latestEventMs, effectiveScope, KPI_LOOKBACK_DAYS, DEFAULT_RANGE_DAYS, MAX_PERIODS, type AnalyticsOptions } from './kpis-service.ts';
export { consentScope, type PersonScope } from './kpis-scope.sql.ts';
export { kpiExportFromStore, audienceFromStore, personTraitsReader, type AudienceExport, type AudiencePerson, type AudienceOptions } from './export-service.ts';
export { kpiExport, kpiExportCsv, groupSize, isSuppressed, suppressedLabel, GROUP_SIZE_METRICS, type KpiExport } from './export-kpis.ts';
export { audienceCsv, AUDIENCE_COLUMNS, PII_COLUMNS } from './export-audience.ts';
export { toCsv, neutralizeFormula, type CsvCell } from './export-csv.ts';
export { kpiExportFieldsSchema, audienceQuerySchema, describeAudience, EXPORT_FORMATS, type ExportFormat, type AudienceRequest, type AudienceQuery } from './export-request.ts';
export { audienceSql, type AudienceSqlQuery, type AudienceSqlRow } from './audience.sql.ts';
export { kpiQuerySchema, parseBreakdown, parseMetrics, type KpiRequest, type KpiQuery } from './kpis-request.ts';
export { assembleKpiReport, type KpiReport, type KpiRow, type ReconciliationLine } from './kpis-report.ts';
export { KPI_METRICS, COUNT_METRICS, RATIO_METRICS, deriveRatios, relativeChange, safeRatio, type KpiMetric, type CountMetric, type RatioMetric, type MetricValues } from './kpis-metrics.ts';
export { kpiSql, type KpiDimension, type KpiSqlQuery } from './kpis.sql.ts';
export { refreshActivity, type ActivityRefresh } from './kpis-activity-service.ts';
export { ACTIVITY_TABLES } from './kpis-activity.sql.ts';
export { GRANULARITIES, periodStarts, truncateTo, formatPeriod, type Granularity, type TimeRange } from './kpis-time.ts';
export { retentionFromStore, cohortRange, DEFAULT_COHORTS } from './retention-service.ts';
export { retentionQuerySchema, COHORT_UNITS, COHORT_ANCHORS, RETENTION_MEASURES, ACQUISITION_BREAKDOWNS, type RetentionRequest, type RetentionQuery } from './retention-request.ts';
export { assembleRetention, type RetentionReport, type RetentionRow, type CohortLine } from './retention.ts';
export { retentionSql, type CohortUnit, type CohortAnchor, type RetentionMeasure, type AcquisitionDimension } from './retention.sql.ts';
export { runFunnel, listDroppedPeople, resolveFunnelDefinition, saveFunnel, listSavedFunnels, getSavedFunnel, deleteSavedFunnel, FUNNEL_BREAKDOWN_GROUPS, type SavedFunnel, type DroppedUnit, type DroppedPeoplePage } from './funnels-service.ts';
export { funnelDefinitionSchema, parseFunnelDefinition, droppedPageSchema, splitFunnelInput, SAVED_NAME, type FunnelDefinitionInput, type DroppedPage } from './funnels-request.ts';
export { parseStepText, parseFilters, formatStep, splitStepList, toFunnelSpec, FILTER_OPS, FUNNEL_MODES, FUNNEL_UNITS, MIN_STEPS, MAX_STEPS, DEFAULT_WINDOW_DAYS, type FunnelDefinition, type FunnelStep, type FunnelSpec, type FunnelMode, type FunnelUnit, type FunnelBreakdown, type PropertyFilter } from './funnels-definition.ts';
export { assembleFunnelReport, type FunnelReport, type FunnelStepResult, type FunnelGroup, type FunnelTiming } from './funnels-report.ts';
export { funnelSummarySql, funnelDroppedSql, funnelUnitsSql, stepConditionSql, SESSION_GRACE_MS, NO_SESSION } from './funnels.sql.ts';
export { topPathsFromStore, pathTimingFromStore, pathFlowsFromStore, type PathOptions } from './paths-service.ts';
export { journeysQuerySchema, assembleTopPaths, assembleTiming, assembleFlows, DAY_BINS, TOUCH_BINS, PATH_JOIN, CONVERSION_NODE, DROP_NODE, type JourneysRequest, type JourneysQuery, type TopPathsReport, type PathRow, type TimingReport, type Distribution, type FlowsReport, type FlowNode, type FlowLink } from './paths.ts';
export { topPathsSql, pathTimingSql, pathFlowsSql } from './paths.sql.ts';
export { eventCatalogFromStore, refreshEventCatalog, type CatalogRefresh } from './events-catalog-service.ts';
export { catalogQuerySchema, assembleCatalog, catalogStep, CATALOG_TYPES, DEFAULT_TOP_KEYS, DEFAULT_CATALOG_DAYS, type CatalogQuery, type EventCatalog, type CatalogEvent, type CatalogProperty, type CatalogType } from './events-catalog.ts';
export { catalogSql, countCatalogSql, CATALOG_TABLE } from './events-catalog.sql.ts';
