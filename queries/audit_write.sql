-- name: insert_data_access
-- Adds one data_access_audit row in the caller's transaction.
insert into data_access_audit (distributor_id, user_id, action, resource, record_count, details)
values (:distributor_id, :user_id, :action, :resource, :record_count, cast(:details as jsonb))

-- name: insert_security_event
-- Adds one security_audit_log row in the caller's transaction.
insert into security_audit_log (distributor_id, user_id, event, details)
values (:distributor_id, :user_id, :event, cast(:details as jsonb))
