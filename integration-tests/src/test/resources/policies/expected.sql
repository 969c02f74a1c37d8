-- What each test user of policies/bypass may see, computed by MariaDB directly from the shop data:
-- one database per user (policy_expected_<user>) whose tables hold exactly the rows and the masked
-- values the policy lets that user see, with shop's column types. TestPolicyBypass runs the same
-- question through the gateway against shop and directly against these databases. The masks are
-- written here independently of the planner (docs/policies.md, "Masks"); TestPolicyBypass checks
-- them against dev.sekisho.policies.mask.ReferenceMasks.

CREATE DATABASE IF NOT EXISTS policy_expected CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- partial {keep_first: 1, keep_last: 0, mask_char: '*'}
CREATE OR REPLACE FUNCTION policy_expected.mask_name(v VARCHAR(100) CHARACTER SET utf8mb4) RETURNS VARCHAR(100) CHARACTER SET utf8mb4 DETERMINISTIC
    RETURN CASE WHEN CHAR_LENGTH(v) <= 1 THEN REPEAT('*', CHAR_LENGTH(v)) ELSE CONCAT(LEFT(v, 1), REPEAT('*', CHAR_LENGTH(v) - 1)) END;
-- email: '****' and the value from its last '@' on; '****' without '@'
CREATE OR REPLACE FUNCTION policy_expected.mask_email(v VARCHAR(200) CHARACTER SET utf8mb4) RETURNS VARCHAR(200) CHARACTER SET utf8mb4 DETERMINISTIC
    RETURN CASE WHEN LOCATE('@', v) = 0 THEN '****' ELSE CONCAT('****@', SUBSTRING_INDEX(v, '@', -1)) END;
-- phone: every digit followed by at least four more digits becomes '*'
CREATE OR REPLACE FUNCTION policy_expected.mask_phone(v VARCHAR(20) CHARACTER SET utf8mb4) RETURNS VARCHAR(20) CHARACTER SET utf8mb4 DETERMINISTIC
    RETURN REGEXP_REPLACE(v, '[0-9](?=(?:[^0-9]*[0-9]){4})', '*');

-- alice: analyst, region JP
CREATE DATABASE IF NOT EXISTS policy_expected_alice CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
DROP TABLE IF EXISTS policy_expected_alice.customers, policy_expected_alice.orders;
CREATE TABLE policy_expected_alice.customers LIKE shop.customers;
INSERT INTO policy_expected_alice.customers
SELECT id, policy_expected.mask_name(name), policy_expected.mask_email(email), policy_expected.mask_phone(phone), region, segment,
       MAKEDATE(YEAR(birth_date), 1), created_at, is_active
FROM shop.customers WHERE region = 'JP';
CREATE TABLE policy_expected_alice.orders LIKE shop.orders;
INSERT INTO policy_expected_alice.orders
SELECT id, customer_id, ROUND(amount, -3), currency, status, ordered_at, NULL FROM shop.orders WHERE status <> 'cancelled';
CREATE OR REPLACE VIEW policy_expected_alice.order_items AS SELECT * FROM shop.order_items;
CREATE OR REPLACE VIEW policy_expected_alice.products AS SELECT * FROM shop.products;

-- bob: finance, every row, personal data masked, orders raw
CREATE DATABASE IF NOT EXISTS policy_expected_bob CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
DROP TABLE IF EXISTS policy_expected_bob.customers;
CREATE TABLE policy_expected_bob.customers LIKE shop.customers;
INSERT INTO policy_expected_bob.customers
SELECT id, policy_expected.mask_name(name), policy_expected.mask_email(email), policy_expected.mask_phone(phone), region, segment,
       MAKEDATE(YEAR(birth_date), 1), created_at, is_active
FROM shop.customers;
CREATE OR REPLACE VIEW policy_expected_bob.orders AS SELECT * FROM shop.orders;
CREATE OR REPLACE VIEW policy_expected_bob.order_items AS SELECT * FROM shop.order_items;
CREATE OR REPLACE VIEW policy_expected_bob.products AS SELECT * FROM shop.products;

-- carol: analyst and intern, region US: no birth_date column, no products table
CREATE DATABASE IF NOT EXISTS policy_expected_carol CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
DROP TABLE IF EXISTS policy_expected_carol.customers, policy_expected_carol.orders;
CREATE TABLE policy_expected_carol.customers LIKE shop.customers;
INSERT INTO policy_expected_carol.customers
SELECT id, policy_expected.mask_name(name), policy_expected.mask_email(email), policy_expected.mask_phone(phone), region, segment,
       NULL, created_at, is_active
FROM shop.customers WHERE region = 'US';
ALTER TABLE policy_expected_carol.customers DROP COLUMN birth_date;
CREATE TABLE policy_expected_carol.orders LIKE shop.orders;
INSERT INTO policy_expected_carol.orders SELECT * FROM policy_expected_alice.orders;
CREATE OR REPLACE VIEW policy_expected_carol.order_items AS SELECT * FROM shop.order_items;

-- dave: analyst without a region: the region filter admits no customer
CREATE DATABASE IF NOT EXISTS policy_expected_dave CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
DROP TABLE IF EXISTS policy_expected_dave.customers, policy_expected_dave.orders;
CREATE TABLE policy_expected_dave.customers LIKE shop.customers;
CREATE TABLE policy_expected_dave.orders LIKE shop.orders;
INSERT INTO policy_expected_dave.orders SELECT * FROM policy_expected_alice.orders;
CREATE OR REPLACE VIEW policy_expected_dave.order_items AS SELECT * FROM shop.order_items;
CREATE OR REPLACE VIEW policy_expected_dave.products AS SELECT * FROM shop.products;

-- admin: everything raw
CREATE DATABASE IF NOT EXISTS policy_expected_admin CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE OR REPLACE VIEW policy_expected_admin.customers AS SELECT * FROM shop.customers;
CREATE OR REPLACE VIEW policy_expected_admin.orders AS SELECT * FROM shop.orders;
CREATE OR REPLACE VIEW policy_expected_admin.order_items AS SELECT * FROM shop.order_items;
CREATE OR REPLACE VIEW policy_expected_admin.products AS SELECT * FROM shop.products;

-- mallory: nothing
CREATE DATABASE IF NOT EXISTS policy_expected_mallory CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
