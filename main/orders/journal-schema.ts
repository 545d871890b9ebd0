/**
 * The journal's schema as an append-only list of migrations. `PRAGMA user_version` holds how
 * many have been applied. A migration is never edited once released: add a new one instead.
 * Each runs in the same transaction as the version bump, so a crash leaves either the old
 * schema or the new one, never half.
 */

import { DEFAULT_POLL_TIMING, followAllSql } from './poll-schedule';

/**
 * The searched values of an order row (`row`: a table name, `new` or `old`), in the order of
 * order_search's columns in migrations 10 and 11. The phone is indexed as its digits (E.164
 * without '+'); an erased one (no digits) not at all.
 */
const SEARCHED_COLUMNS = (row: string): string =>
  `${row}.merchant_reference, ${row}.external_reference, ${CUSTOMER_COLUMNS(row)}`;

/**
 * The customer's searched values of an order row, in the order of customer_search's columns
 * (migration 12 on): name, e-mail and the phone as its digits.
 */
const CUSTOMER_COLUMNS = (row: string): string =>
  `${row}.customer_name, ${row}.email,
   CASE WHEN ${row}.phone GLOB '+[0-9]*' THEN substr(${row}.phone, 2) END`;

/** One schema step: `sql` takes the journal from version `version - 1` to `version`. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Every migration, oldest first. The journal's version is the length of this list. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'orders, their events, reference counters',
    sql: `
      CREATE TABLE orders (
        id                   TEXT PRIMARY KEY,
        merchant_reference   TEXT NOT NULL UNIQUE,
        state                TEXT NOT NULL,
        phone                TEXT NOT NULL,
        customer_name        TEXT,
        email                TEXT,
        note                 TEXT,
        amount               INTEGER NOT NULL CHECK (amount > 0),
        currency             TEXT NOT NULL,
        vat_amount           INTEGER NOT NULL DEFAULT 0,
        items                TEXT NOT NULL DEFAULT '[]',
        delivery             TEXT NOT NULL,
        link_lifetime_hours  INTEGER NOT NULL,
        created_at           TEXT NOT NULL,
        updated_at           TEXT NOT NULL,
        created_by           TEXT NOT NULL,
        session_id           TEXT,
        link_url             TEXT,
        sms_status           TEXT,
        expires_at           TEXT,
        transaction_id       TEXT,
        payment_method       TEXT,
        authorized_amount    INTEGER NOT NULL DEFAULT 0,
        captured_amount      INTEGER NOT NULL DEFAULT 0,
        refunded_amount      INTEGER NOT NULL DEFAULT 0,
        last_error           TEXT,
        replaces_order_id    TEXT,
        replaced_by_order_id TEXT,
        next_attempt_at      INTEGER NOT NULL DEFAULT 0,
        attempts             INTEGER NOT NULL DEFAULT 0,
        check_before_send    INTEGER NOT NULL DEFAULT 0,
        version              INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX orders_state ON orders (state, next_attempt_at);
      CREATE INDEX orders_phone ON orders (phone);
      CREATE INDEX orders_created ON orders (created_at);
      CREATE TABLE order_events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id   TEXT NOT NULL REFERENCES orders (id),
        at         TEXT NOT NULL,
        kind       TEXT NOT NULL,
        actor      TEXT NOT NULL,
        detail     TEXT,
        amount     INTEGER,
        from_state TEXT,
        to_state   TEXT
      );
      CREATE INDEX order_events_order ON order_events (order_id, id);
      CREATE TABLE sequences (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'money operations, pending operation, authorization age',
    sql: `
      CREATE TABLE operations (
        id               TEXT PRIMARY KEY,
        order_id         TEXT NOT NULL REFERENCES orders (id),
        kind             TEXT NOT NULL,
        amount           INTEGER,
        reference        TEXT NOT NULL UNIQUE,
        state            TEXT NOT NULL,
        event_request_id TEXT,
        actor            TEXT NOT NULL,
        reason           TEXT,
        error            TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      CREATE INDEX operations_order ON operations (order_id);
      CREATE INDEX operations_open ON operations (state);
      ALTER TABLE orders ADD COLUMN pending_op TEXT;
      ALTER TABLE orders ADD COLUMN authorized_at TEXT;
      ALTER TABLE orders ADD COLUMN lapse_warned INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    description:
      'the Dintero account of each order, outcome-unknown flag, duplicate watch, operation parameters',
    sql: `
      ALTER TABLE orders ADD COLUMN account_id TEXT;
      ALTER TABLE orders ADD COLUMN outcome_unknown INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN duplicate_watch_until INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX orders_account_state ON orders (account_id, state);
      ALTER TABLE operations ADD COLUMN params TEXT;
    `,
  },
  {
    version: 4,
    description: 'timeline lines as catalog messages (key + parameters), shown in any language',
    sql: `
      ALTER TABLE order_events ADD COLUMN message TEXT;
    `,
  },
  {
    version: 5,
    description: 'orders whose outcome is being checked, found without reading the whole journal',
    sql: `
      CREATE INDEX orders_outcome_unknown ON orders (account_id) WHERE outcome_unknown = 1;
    `,
  },
  {
    version: 6,
    description: 'when the customer data of an order was erased (kept only N days)',
    sql: `
      ALTER TABLE orders ADD COLUMN customer_erased_at TEXT;
      CREATE INDEX orders_customer_kept ON orders (updated_at) WHERE customer_erased_at IS NULL;
    `,
  },
  {
    version: 7,
    description:
      "the order's number in the shop's other system (a paylink: link's reference; Dintero's merchant_reference_2)",
    sql: `
      ALTER TABLE orders ADD COLUMN external_reference TEXT;
    `,
  },
  {
    version: 8,
    description:
      'when the poller reads each followed order next (epoch ms; NULL = not followed), indexed: a round reads only what is due',
    // Orders followed now are due at once, so an upgraded desk keeps following what it followed
    // (the rule and its constants are poll-schedule.ts's). Orders under a duplicate watch
    // and unwarned authorizations get small indexes of their own too (each round looks).
    sql: `
      ALTER TABLE orders ADD COLUMN next_poll_at INTEGER;
      CREATE INDEX orders_next_poll ON orders (account_id, next_poll_at)
        WHERE next_poll_at IS NOT NULL;
      CREATE INDEX orders_duplicate_watch ON orders (account_id, duplicate_watch_until)
        WHERE duplicate_watch_until > 0;
      CREATE INDEX orders_lapse_unwarned ON orders (account_id, authorized_at)
        WHERE lapse_warned = 0 AND state IN ('authorized', 'partially_captured');
      ${followAllSql(DEFAULT_POLL_TIMING)}
    `,
  },
  {
    version: 9,
    description:
      "orders sent by another desk of the store (the sending desk's identity), found by session and transaction; what this desk has read of the store",
    // origin_desk: NULL = this desk sent the order; else the desk identity of the desk that
    // did (main/orders/shop-orders.ts imports those from Dintero). desk_state holds small
    // named values, such as how far the store's sessions have been read.
    sql: `
      ALTER TABLE orders ADD COLUMN origin_desk TEXT;
      CREATE INDEX orders_session ON orders (session_id) WHERE session_id IS NOT NULL;
      CREATE INDEX orders_transaction ON orders (transaction_id) WHERE transaction_id IS NOT NULL;
      CREATE TABLE desk_state (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 10,
    description:
      "the board's search index (trigrams of reference, other system's number, name, e-mail, phone digits), orders per state, amounts indexed",
    // The board pages the journal (board-page.ts) in the order of orders_board (newest first,
    // ties by id; it replaces orders_created), reading the keys from the index alone; a search
    // finds its few orders through the trigram index (substrings, case folded; contentless: it
    // holds no text, only what finds it) and amounts through their index; order_counts says how
    // many orders there are in each state without counting them. Triggers keep both in step
    // with every write (an erased customer leaves the index with the row's old values); the
    // index's rowid is the order's rowid (VACUUM keeps it: orders has indexes).
    sql: `
      CREATE VIRTUAL TABLE order_search USING fts5(
        reference, external, name, email, phone,
        tokenize = 'trigram', content = '', contentless_delete = 1
      );
      INSERT INTO order_search (rowid, reference, external, name, email, phone)
        SELECT rowid, ${SEARCHED_COLUMNS('orders')} FROM orders;
      CREATE TRIGGER order_search_insert AFTER INSERT ON orders BEGIN
        INSERT INTO order_search (rowid, reference, external, name, email, phone)
          VALUES (new.rowid, ${SEARCHED_COLUMNS('new')});
      END;
      CREATE TRIGGER order_search_update
        AFTER UPDATE OF merchant_reference, external_reference, customer_name, email, phone
        ON orders BEGIN
        DELETE FROM order_search WHERE rowid = old.rowid;
        INSERT INTO order_search (rowid, reference, external, name, email, phone)
          VALUES (new.rowid, ${SEARCHED_COLUMNS('new')});
      END;
      CREATE TRIGGER order_search_delete AFTER DELETE ON orders BEGIN
        DELETE FROM order_search WHERE rowid = old.rowid;
      END;
      CREATE TABLE order_counts (
        state TEXT PRIMARY KEY,
        n     INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO order_counts (state, n) SELECT state, count(*) FROM orders GROUP BY state;
      CREATE TRIGGER order_counts_insert AFTER INSERT ON orders BEGIN
        INSERT INTO order_counts (state, n) VALUES (new.state, 1)
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER order_counts_update AFTER UPDATE OF state ON orders
        WHEN old.state IS NOT new.state BEGIN
        UPDATE order_counts SET n = n - 1 WHERE state = old.state;
        INSERT INTO order_counts (state, n) VALUES (new.state, 1)
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER order_counts_delete AFTER DELETE ON orders BEGIN
        UPDATE order_counts SET n = n - 1 WHERE state = old.state;
      END;
      CREATE INDEX orders_amount ON orders (amount, currency);
      DROP INDEX orders_created;
      CREATE INDEX orders_board ON orders (created_at, id);
    `,
  },
  {
    version: 11,
    description:
      'small indexes for the questions asked while the desk runs: orders with a money operation in flight, followed orders by state',
    // engine.pendingWork() (asked on every order change while an update waits) and the orders
    // an account change would strand read these few rows instead of the whole journal (0.7 s
    // and 0.1 s at a million orders). Building them reads the journal once, at the upgrade.
    sql: `
      CREATE INDEX orders_pending_op ON orders (account_id) WHERE pending_op IS NOT NULL;
      CREATE INDEX orders_followed_state ON orders (state, account_id)
        WHERE next_poll_at IS NOT NULL;
    `,
  },
  {
    version: 12,
    description:
      "the customer's searched values (name, e-mail, phone digits) in an index of their own, holding only orders that still carry their customer",
    // Erasing a customer used to leave their trigrams in order_search's segments until an
    // 'optimize' rewrote the whole index and VACUUM the whole file (seconds at a million
    // orders, on main). Now the customer has an index of their own, customer_search, holding
    // only orders whose customer is kept (a few months of orders, not two years): erasing
    // removes the row from it, and the journal then merges that small index's segments into
    // one, a step at a time (Journal.mergeCustomerSearch), which drops what it held of erased
    // customers; PRAGMA secure_delete zeroes the pages the merge frees. Its 'deletemerge' is
    // off: FTS5 would otherwise rewrite a whole segment inside the commit that deletes its
    // tenth row (hundreds of milliseconds on main when months are erased at once); the merge
    // after the erase does that work, a step at a time. order_search keeps the
    // references, which are never erased. Rebuilding both here reads the journal once.
    sql: `
      DROP TRIGGER order_search_insert;
      DROP TRIGGER order_search_update;
      DROP TRIGGER order_search_delete;
      DROP TABLE order_search;
      CREATE VIRTUAL TABLE order_search USING fts5(
        reference, external,
        tokenize = 'trigram', content = '', contentless_delete = 1
      );
      INSERT INTO order_search (rowid, reference, external)
        SELECT rowid, merchant_reference, external_reference FROM orders;
      CREATE VIRTUAL TABLE customer_search USING fts5(
        name, email, phone,
        tokenize = 'trigram', content = '', contentless_delete = 1
      );
      INSERT INTO customer_search (customer_search, rank) VALUES ('deletemerge', 0);
      INSERT INTO customer_search (rowid, name, email, phone)
        SELECT rowid, ${CUSTOMER_COLUMNS('orders')} FROM orders
        WHERE customer_erased_at IS NULL;
      CREATE TRIGGER order_search_insert AFTER INSERT ON orders BEGIN
        INSERT INTO order_search (rowid, reference, external)
          VALUES (new.rowid, new.merchant_reference, new.external_reference);
        INSERT INTO customer_search (rowid, name, email, phone)
          SELECT new.rowid, ${CUSTOMER_COLUMNS('new')} WHERE new.customer_erased_at IS NULL;
      END;
      CREATE TRIGGER order_search_update
        AFTER UPDATE OF merchant_reference, external_reference ON orders BEGIN
        DELETE FROM order_search WHERE rowid = old.rowid;
        INSERT INTO order_search (rowid, reference, external)
          VALUES (new.rowid, new.merchant_reference, new.external_reference);
      END;
      CREATE TRIGGER customer_search_update
        AFTER UPDATE OF customer_name, email, phone, customer_erased_at ON orders BEGIN
        DELETE FROM customer_search WHERE rowid = old.rowid;
        INSERT INTO customer_search (rowid, name, email, phone)
          SELECT new.rowid, ${CUSTOMER_COLUMNS('new')} WHERE new.customer_erased_at IS NULL;
      END;
      CREATE TRIGGER order_search_delete AFTER DELETE ON orders BEGIN
        DELETE FROM order_search WHERE rowid = old.rowid;
        DELETE FROM customer_search WHERE rowid = old.rowid;
      END;
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
