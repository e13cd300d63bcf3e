"""The columns the generators fill, per table, in the order of their row tuples. The tables are listed in
foreign-key order: a batch is loaded top to bottom."""

from __future__ import annotations

_SPEC = {
    "distributors": "id name slug trade timezone currency language reply_tone ai_monthly_budget_cents "
                    "ai_alert_thresholds ai_hard_limit status created_at",
    "auth.users": "id email encrypted_password created_at updated_at",
    "user_profiles": "id distributor_id email full_name role is_active created_at last_sign_in_at",
    "user_invitations": "id distributor_id email role invited_by token_hash status expires_at created_at",
    "user_sessions": "id distributor_id user_id token_hash started_at last_seen_at ended_at end_reason "
                     "user_agent",
    "security_audit_log": "id distributor_id user_id event details created_at",
    "customer_labels": "id distributor_id name color",
    "customers": "id distributor_id name phone_e164 email city language status created_at",
    "customer_label_assignments": "distributor_id customer_id label_id assigned_at",
    "product_categories": "id distributor_id parent_category_id name",
    "products": "id distributor_id category_id sku name aliases unit price_cents active created_at",
    "product_variants": "id distributor_id product_id sku name unit price_cents active",
    "product_bundles": "id distributor_id sku name price_cents active",
    "product_bundle_items": "id distributor_id bundle_id product_id quantity",
    "pii_detection_rules": "id distributor_id name pii_type pattern replacement enabled created_at",
    "data_retention_policies": "id distributor_id resource retention_days action enabled",
    "encryption_keys": "id distributor_id key_alias algorithm kms_key_ref status created_at rotated_at",
    "webhook_endpoints": "id distributor_id url description events secret_ref active created_at",
    "external_integrations": "id distributor_id provider name status config created_at",
    "api_rate_limits": "id distributor_id integration_id scope limit_per_minute window_started_at "
                       "requests_in_window",
    "conversations": "id distributor_id customer_id channel status assigned_to started_at last_message_at",
    "messages": "id distributor_id conversation_id direction sender_type content language order_id "
                "created_at",
    "orders": "id distributor_id customer_id conversation_id ai_source_message_id order_number status "
              "source total_cents currency notes requested_delivery_date draft_key created_by created_at "
              "confirmed_at",
    "order_products": "id distributor_id order_id product_id raw_text product_name quantity unit "
                      "unit_price_cents line_total_cents match_confidence",
    "order_attachments": "id distributor_id order_id file_name content_type size_bytes storage_path "
                         "created_at",
    "ai_responses": "id distributor_id message_id kind content structured model prompt_version "
                    "input_tokens output_tokens tokens_estimated cost_cents latency_ms confidence status "
                    "final_content reviewed_by reviewed_at feedback created_at",
    "ai_errors": "id distributor_id message_id model feature error_type error_message context created_by "
                 "created_at",
    "ai_training_data": "id distributor_id ai_response_id input_text ai_output human_correction "
                        "correction_type created_by created_at",
    "pii_detection_results": "id distributor_id message_id rule_id pii_type match_count context created_at",
    "external_message_mappings": "id distributor_id integration_id message_id conversation_id external_id "
                                 "created_at",
    "product_matching_history": "id distributor_id raw_text normalized_text product_id order_product_id "
                                "method confidence confirmed confirmed_by created_at",
    "webhook_deliveries": "id distributor_id endpoint_id event_type payload status attempts "
                          "response_status last_error created_at delivered_at",
    "data_access_audit": "id distributor_id user_id action resource record_count details created_at",
    "ai_budget_alerts": "id distributor_id period_month threshold_pct spend_cents budget_cents "
                        "triggered_at acknowledged_by acknowledged_at",
}
COLUMNS: dict[str, tuple[str, ...]] = {table: tuple(columns.split()) for table, columns in _SPEC.items()}
