"""Set-based foreign key verification for the bulk load.

When the loading role may skip PostgreSQL's per-row foreign key triggers (session_replication_role =
replica), the loader checks every foreign key of the tenant's rows in one pass before committing,
as ALTER TABLE ... VALIDATE CONSTRAINT would: a violation fails the load, nothing is trusted."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import Cursor, sql

_CATALOG = """
select c.conname, cn.nspname, cl.relname, pn.nspname, pl.relname,
       array(select a.attname from unnest(c.conkey) with ordinality k(num, i)
             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.num order by k.i),
       array(select a.attname from unnest(c.confkey) with ordinality k(num, i)
             join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.num order by k.i),
       exists (select from pg_attribute a where a.attrelid = c.conrelid and a.attname = 'distributor_id'
               and not a.attisdropped)
from pg_constraint c
join pg_class cl on cl.oid = c.conrelid join pg_namespace cn on cn.oid = cl.relnamespace
join pg_class pl on pl.oid = c.confrelid join pg_namespace pn on pn.oid = pl.relnamespace
where c.contype = 'f' and cn.nspname = 'public'
order by cl.relname, c.conname
"""


@dataclass(frozen=True)
class ForeignKey:
    name: str
    child: tuple[str, str]
    parent: tuple[str, str]
    child_columns: tuple[str, ...]
    parent_columns: tuple[str, ...]
    tenant_table: bool


def foreign_keys(cur: Cursor) -> list[ForeignKey]:
    """Returns every foreign key whose referencing table is in the public schema, from the catalog."""
    return [ForeignKey(name, (cs, ct), (ps, pt), tuple(cc), tuple(pc), tenant)
            for name, cs, ct, ps, pt, cc, pc, tenant in cur.execute(_CATALOG).fetchall()]


def orphans_query(fks: list[ForeignKey]) -> sql.Composed:
    """Returns one statement listing the names of the foreign keys that a distributor's rows (parameter
    `d`) violate. MATCH SIMPLE: a key with a NULL column references nothing."""
    parts = []
    for fk in fks:
        present = [sql.SQL("c.{} IS NOT NULL").format(sql.Identifier(col)) for col in fk.child_columns]
        joined = [sql.SQL("p.{} = c.{}").format(sql.Identifier(p), sql.Identifier(c))
                  for c, p in zip(fk.child_columns, fk.parent_columns, strict=True)]
        where = [sql.SQL("c.distributor_id = %(d)s")] if fk.tenant_table else []
        if "distributor_id" in fk.parent_columns:
            # implied by the join, but said outright the planner reads only the tenant's parent rows
            joined.append(sql.SQL("p.distributor_id = %(d)s"))
        parts.append(sql.SQL(
            "SELECT {name} WHERE EXISTS (SELECT FROM {child} c WHERE {where} AND NOT EXISTS "
            "(SELECT FROM {parent} p WHERE {joined}))").format(
            name=sql.Literal(fk.name), child=sql.Identifier(*fk.child), parent=sql.Identifier(*fk.parent),
            where=sql.SQL(" AND ").join(where + present), joined=sql.SQL(" AND ").join(joined)))
    return sql.SQL(" UNION ALL ").join(parts)


def verify(cur: Cursor, query: sql.Composed, distributor_id: str) -> None:
    """Raises ValueError naming the foreign keys that the distributor's rows violate. Run it with
    enable_nestloop off: see demo.load.Loader._finish."""
    broken = [name for (name,) in cur.execute(query, {"d": distributor_id}).fetchall()]
    if broken:
        raise ValueError(f"demo rows of distributor {distributor_id} violate {', '.join(broken)}")
