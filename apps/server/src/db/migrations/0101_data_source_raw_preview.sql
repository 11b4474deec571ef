-- The first rows of a tabular file as read (all text), for the preview next to the parsed records.
ALTER TABLE data_sources ADD COLUMN raw_preview jsonb;
