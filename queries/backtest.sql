-- name: distributors
-- Returns every distributor, by name (run by the owner: the backtest's command line goes tenant by tenant).
select id, name from distributors order by name

-- name: confirmed_order_lines
-- Returns the lines people confirmed on the distributor's orders drafted from a customer message, with that
-- message: one row per line (sku null when the line has no product), by order then line.
select o.id as order_id, m.content as message, coalesce(m.language, d.language) as language,
       p.sku, op.quantity
from orders o
join distributors d on d.id = o.distributor_id
join messages m on m.distributor_id = o.distributor_id and m.id = o.ai_source_message_id
join order_products op on op.distributor_id = o.distributor_id and op.order_id = o.id
left join products p on p.distributor_id = op.distributor_id and p.id = op.product_id
where o.distributor_id = :distributor_id and o.status in ('confirmed', 'shipped', 'delivered')
order by o.id, op.id
