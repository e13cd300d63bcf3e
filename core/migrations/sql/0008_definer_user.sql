-- SECURITY DEFINER functions that act for a user take the user from the session (app.current_user_id, which
-- tenant_scope() sets for the signed-in user), not from an argument: operator_distributors(p_user_id) and
-- auth_switch_tenant(p_user_id, ...) believed whatever id a caller passed.
DROP FUNCTION operator_distributors(uuid);
DROP FUNCTION auth_switch_tenant(uuid, uuid, uuid);

CREATE FUNCTION operator_distributors()
RETURNS TABLE (id uuid, name text, timezone text, currency text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
    -- the user the session set (tenant_scope), never an argument a caller could choose
    p_user_id uuid := nullif(current_setting('app.current_user_id', true), '')::uuid;
BEGIN
    PERFORM set_config('app.auth_definer', 'on', true);
    IF EXISTS (SELECT 1 FROM user_profiles p WHERE p.id = p_user_id AND p.role = 'operator' AND p.is_active) THEN
        RETURN QUERY SELECT d.id, d.name, d.timezone, btrim(d.currency)::text FROM distributors d
                     ORDER BY d.name, d.id;
    END IF;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
END $$;
CREATE FUNCTION auth_switch_tenant(p_from uuid, p_to uuid)
RETURNS TABLE (id uuid, name text, timezone text, currency text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
    -- the user the session set (tenant_scope), never an argument a caller could choose
    p_user_id uuid := nullif(current_setting('app.current_user_id', true), '')::uuid;
    v_tenant text := current_setting('app.current_distributor_id', true);
    v_details jsonb := jsonb_build_object('from', p_from, 'to', p_to);
    v_d uuid;
BEGIN
    PERFORM set_config('app.auth_definer', 'on', true);
    IF NOT EXISTS (SELECT 1 FROM user_profiles p WHERE p.id = p_user_id AND p.role = 'operator' AND p.is_active) THEN
        RAISE EXCEPTION 'only operators may switch distributor' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM distributors d WHERE d.id = p_to)
       OR NOT EXISTS (SELECT 1 FROM distributors d WHERE d.id = p_from) THEN
        RAISE EXCEPTION 'unknown distributor' USING ERRCODE = 'no_data_found';
    END IF;
    FOREACH v_d IN ARRAY ARRAY[p_from, p_to] LOOP
        PERFORM set_config('app.current_distributor_id', v_d::text, true);
        INSERT INTO security_audit_log (distributor_id, user_id, event, details)
        VALUES (v_d, p_user_id, 'tenant_switch', v_details);
    END LOOP;
    RETURN QUERY SELECT d.id, d.name, d.timezone, btrim(d.currency)::text FROM distributors d WHERE d.id = p_to;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
    PERFORM set_config('app.current_distributor_id', coalesce(v_tenant, ''), true);
END $$;

REVOKE ALL ON FUNCTION operator_distributors(), auth_switch_tenant(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION operator_distributors(), auth_switch_tenant(uuid, uuid) TO ordersight_app;
