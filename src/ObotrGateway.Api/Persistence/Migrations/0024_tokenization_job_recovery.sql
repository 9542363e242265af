-- Crash gaps around a bulk upload (docs/bulk-tokenization.md, "Recovery"): the upload's last sign of life, so a
-- dead upload's cards can be deleted, and when its workers were sent, so a job whose process died between
-- committing the upload and sending them gets them from the recovery pass.
ALTER TABLE tokenization_jobs ADD COLUMN upload_active_at timestamptz, ADD COLUMN workers_sent_at timestamptz;

-- Jobs from before this column existed had their workers sent (or are over).
UPDATE tokenization_jobs SET workers_sent_at = started_at WHERE status <> 'uploading';

CREATE INDEX tokenization_jobs_recovery ON tokenization_jobs (created_at)
    WHERE status = 'uploading' OR (status = 'running' AND workers_sent_at IS NULL);
