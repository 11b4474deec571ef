-- Every index a run's staged table gets is named explicitly: `<table>_i<n>`, n in the order of the parent's
-- indexes. Unnamed (0108), PostgreSQL derives a name from the table and the columns, cut to 63 characters,
-- and only checks it against committed names. Two builds of one table on two connections (the shared build
-- queue, `ResultIndexing` in result-partitions.ts) could then pick the same name and one failed with a
-- duplicate key on pg_class: the exceptions' date indexes (ascending and descending) have the same columns,
-- and the matches' names differ only past the cut. Seen in CI as a retried job.
CREATE OR REPLACE FUNCTION recon_result_index_ddl(parent text, job uuid, run integer) RETURNS SETOF text STABLE
LANGUAGE sql AS $$
  SELECT format('ALTER TABLE %s ADD %s', recon_result_table(parent, job, run), pg_get_constraintdef(c.oid))
  FROM pg_constraint c WHERE c.conrelid = parent::regclass AND c.contype = 'p'
  UNION ALL
  SELECT regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE INDEX \S+ ON ONLY \S+ ',
           format('CREATE INDEX %I ON %s ',
             substr(parent, 7) || '_' || replace(job::text, '-', '') || '_' || run || '_i'
               || row_number() OVER (ORDER BY i.indexrelid),
             recon_result_table(parent, job, run)))
  FROM pg_index i WHERE i.indrelid = parent::regclass AND NOT i.indisprimary
  UNION ALL
  SELECT format('CREATE STATISTICS %s (mcv) ON %s FROM %s',
           recon_result_table(parent, job, run) || '_st' || row_number() OVER (ORDER BY s.oid),
           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
             WHERE a.attrelid = s.stxrelid AND a.attnum = ANY (s.stxkeys)),
           recon_result_table(parent, job, run))
  FROM pg_statistic_ext s WHERE s.stxrelid = parent::regclass
$$;
