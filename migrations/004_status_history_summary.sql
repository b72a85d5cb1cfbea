-- 004: the status history keeps each publication's summary: the object of
-- docs/formats.md §5 without its lists (no "sections", coverage.missing,
-- guarantee "failing" or indicator "top_contributors"), ~4 kB instead of
-- ~1 kB per school of the county. Every verdict, count and coefficient stays;
-- a past county's full status can be recomputed from the append-only
-- submissions. Rows written before this migration hold the full object, which
-- has the same fields and more, so readers see no difference.
COMMENT ON COLUMN county_status_history.status IS
    'summary of the published county status (the status JSON without sections, missing, failing, top_contributors)';
