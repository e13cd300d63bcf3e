UPDATE orders SET source = 'ai' WHERE drafted_by = 'offline_drafter' AND source = 'manual';
ALTER TABLE orders DROP COLUMN drafted_by;
DROP INDEX messages_pasted_once;
ALTER TABLE messages DROP COLUMN source;
