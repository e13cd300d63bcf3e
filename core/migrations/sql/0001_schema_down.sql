-- Drops everything 0001 created except the cluster-wide role (other databases may use it)
-- and auth.users (on Supabase it is not ours).
DROP TABLE IF EXISTS api_rate_limits, external_message_mappings, external_integrations, webhook_deliveries,
    webhook_endpoints, webhook_event_templates, encryption_keys, data_retention_policies, pii_detection_results,
    pii_detection_rules, security_audit_log, data_access_audit, product_matching_history, order_attachments,
    order_products, orders, ai_budget_alerts, ai_prompt_performance, ai_training_data, ai_errors,
    ai_model_performance, ai_usage_metrics, ai_responses, messages, conversations, product_bundle_items,
    product_bundles, product_variants, products, product_categories, distributor_usage,
    customer_label_assignments, customer_labels, customers, user_invitations, user_sessions, user_profiles,
    role_permissions, distributors CASCADE;
DROP FUNCTION IF EXISTS ai_responses_review_once(), get_current_distributor_id(), get_current_user_id();
