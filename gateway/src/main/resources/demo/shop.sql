-- Sekisho demo data: a small shop in database `shop` (MariaDB; uses the Sequence engine's seq_1_to_N tables).
-- Deterministic: every value derives from the row number, so every run loads the same rows.
--   customers    1,000   (names, emails, phones in Japanese/US/EU formats, region JP/US/EU, some NULLs)
--   products       100
--   orders      10,000   (amount = sum of its items, in the customer's currency)
--   order_items 30,000   (3 per order)
-- Re-running the script recreates the tables.

CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE shop;

DROP TABLE IF EXISTS order_items;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS products;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
    id          INT          NOT NULL PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    email       VARCHAR(200) NULL,
    phone       VARCHAR(20)  NULL,
    region      CHAR(2)      NOT NULL COMMENT 'JP, US or EU',
    segment     VARCHAR(20)  NOT NULL COMMENT 'consumer, business or enterprise',
    birth_date  DATE         NULL,
    created_at  DATETIME     NOT NULL,
    is_active   TINYINT(1)   NOT NULL
) COMMENT = 'One row per customer account';

CREATE TABLE products (
    id          INT           NOT NULL PRIMARY KEY,
    name        VARCHAR(100)  NOT NULL,
    category    VARCHAR(30)   NOT NULL,
    price       DECIMAL(10,2) NOT NULL COMMENT 'in JPY'
);

CREATE TABLE orders (
    id          INT           NOT NULL PRIMARY KEY,
    customer_id INT           NOT NULL,
    amount      DECIMAL(12,2) NOT NULL,
    currency    CHAR(3)       NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    ordered_at  DATETIME      NOT NULL,
    note        TEXT          NULL,
    KEY orders_customer (customer_id)
) COMMENT = 'One row per order; amounts in the order''s currency';

CREATE TABLE order_items (
    id          INT           NOT NULL PRIMARY KEY,
    order_id    INT           NOT NULL,
    product_id  INT           NOT NULL,
    quantity    INT           NOT NULL,
    unit_price  DECIMAL(10,2) NOT NULL COMMENT 'in the order''s currency',
    KEY order_items_order (order_id),
    KEY order_items_product (product_id)
);

-- Customers: 60% JP, 20% US, 20% EU. Names come from parallel lists (kanji and romaji for JP).
INSERT INTO customers
SELECT
    seq,
    CASE WHEN region = 'JP'
        THEN CONCAT(ELT(f, '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'), ' ',
                    ELT(g, '陽翔', '結衣', '蓮', '陽葵', '湊', '凛', '大和', '紬', '悠真', '葵'))
        ELSE CONCAT(ELT(g, 'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Leo', 'Sofia', 'Hugo'), ' ',
                    ELT(f, 'Smith', 'Müller', 'Garcia', 'Johnson', 'Rossi', 'Martin', 'Brown', 'Novak', 'Dubois', 'Jensen'))
    END,
    CASE WHEN seq % 37 = 0 THEN NULL
        WHEN region = 'JP'
        THEN CONCAT(ELT(g, 'haruto', 'yui', 'ren', 'himari', 'minato', 'rin', 'yamato', 'tsumugi', 'yuma', 'aoi'), '.',
                    ELT(f, 'sato', 'suzuki', 'takahashi', 'tanaka', 'ito', 'watanabe', 'yamamoto', 'nakamura', 'kobayashi', 'kato'),
                    seq, '@example.jp')
        ELSE CONCAT(LOWER(ELT(g, 'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Leo', 'Sofia', 'Hugo')), '.',
                    ELT(f, 'smith', 'mueller', 'garcia', 'johnson', 'rossi', 'martin', 'brown', 'novak', 'dubois', 'jensen'),
                    seq, '@example.com')
    END,
    CASE WHEN seq % 11 = 0 THEN NULL
        WHEN region = 'JP' AND seq % 3 = 0
            THEN CONCAT(ELT(1 + seq % 2, '03', '06'), '-', LPAD((seq * 7919) % 10000, 4, '0'), '-', LPAD((seq * 104729) % 10000, 4, '0'))
        WHEN region = 'JP'
            THEN CONCAT(ELT(1 + seq % 3, '090', '080', '070'), '-', LPAD((seq * 7919) % 10000, 4, '0'), '-', LPAD((seq * 104729) % 10000, 4, '0'))
        WHEN region = 'US'
            THEN CONCAT('+1-202-555-01', LPAD(seq % 100, 2, '0'))
        ELSE CONCAT('+44 20 7946 0', LPAD(seq % 1000, 3, '0'))
    END,
    region,
    ELT(1 + (seq * 7) % 3, 'consumer', 'business', 'enterprise'),
    CASE WHEN seq % 23 = 0 THEN NULL ELSE DATE '1950-01-01' + INTERVAL (seq * 7919) % 20000 DAY END,
    TIMESTAMP '2020-01-01 09:00:00' + INTERVAL (seq * 104729) % (4 * 365 * 86400) SECOND,
    seq % 10 <> 0
FROM (
    SELECT seq,
           1 + seq % 10 AS f,
           1 + (seq DIV 10) % 10 AS g,
           ELT(1 + seq % 5, 'JP', 'JP', 'JP', 'US', 'EU') AS region
    FROM seq_1_to_1000
) numbered;

INSERT INTO products
SELECT
    seq,
    CONCAT(ELT(1 + seq % 5, 'Novel', 'Headphones', 'Kettle', 'Puzzle', 'Notebook'), ' ', ELT(1 + (seq DIV 5) % 4, 'Basic', 'Plus', 'Pro', 'Mini'), ' ', seq),
    ELT(1 + seq % 5, 'books', 'electronics', 'kitchen', 'toys', 'stationery'),
    100 + ((seq * 37) % 500) * 10
FROM seq_1_to_100;

INSERT INTO orders
SELECT
    o.seq,
    o.customer_id,
    0,
    CASE c.region WHEN 'JP' THEN 'JPY' WHEN 'US' THEN 'USD' ELSE 'EUR' END,
    ELT(1 + o.seq % 10, 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'shipped', 'paid', 'cancelled', 'returned'),
    TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (o.seq * 2654435761) % (2 * 365 * 86400) SECOND,
    CASE WHEN o.seq % 17 = 0 THEN ELT(1 + o.seq % 3, 'gift wrapping, please', 'leave at the door', '置き配希望') ELSE NULL END
FROM (SELECT seq, 1 + (seq * 7919 + seq DIV 13) % 1000 AS customer_id FROM seq_1_to_10000) o
JOIN customers c ON c.id = o.customer_id;

-- Prices are JPY; US and EU orders are charged at fixed demo rates (150 JPY/USD, 160 JPY/EUR).
INSERT INTO order_items
SELECT
    i.seq,
    i.order_id,
    i.product_id,
    1 + i.seq % 4,
    CASE o.currency WHEN 'JPY' THEN p.price WHEN 'USD' THEN ROUND(p.price / 150, 2) ELSE ROUND(p.price / 160, 2) END
FROM (SELECT seq, (seq - 1) DIV 3 + 1 AS order_id, 1 + (seq * 7919) % 100 AS product_id FROM seq_1_to_30000) i
JOIN orders o ON o.id = i.order_id
JOIN products p ON p.id = i.product_id;

UPDATE orders o
JOIN (SELECT order_id, SUM(quantity * unit_price) AS total FROM order_items GROUP BY order_id) t ON t.order_id = o.id
SET o.amount = t.total;

ANALYZE TABLE customers, products, orders, order_items;

-- The gateway's read-only account. DEMO ONLY: a fixed password in a script is acceptable for a
-- throwaway local database and nowhere else. Created for 'localhost' too, because an anonymous
-- ''@'localhost' account would otherwise win over '%' for local connections.
CREATE USER IF NOT EXISTS 'sekisho_reader'@'%' IDENTIFIED BY 'sekisho-demo';
CREATE USER IF NOT EXISTS 'sekisho_reader'@'localhost' IDENTIFIED BY 'sekisho-demo';
GRANT SELECT ON shop.* TO 'sekisho_reader'@'%';
GRANT SELECT ON shop.* TO 'sekisho_reader'@'localhost';
-- Replica routing reads each server's replication status (SHOW REPLICA STATUS), which takes
-- SLAVE MONITOR on MariaDB (REPLICATION CLIENT on MySQL); see docs/routing.md.
GRANT SLAVE MONITOR ON *.* TO 'sekisho_reader'@'%';
GRANT SLAVE MONITOR ON *.* TO 'sekisho_reader'@'localhost';
