DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT table_schema, table_name, column_name FROM information_schema.columns
             WHERE table_schema IN ('public', 'auth') AND column_default = 'app_now()' LOOP
        EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT now()',
                       c.table_schema, c.table_name, c.column_name);
    END LOOP;
END $$;

DROP FUNCTION app_now();
