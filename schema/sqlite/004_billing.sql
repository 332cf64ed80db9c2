-- MTP schema 4 (SQLite): billing and usage. The same logical schema as
-- ../postgresql/004_billing.sql. Money is integer cents (INTEGER); days are epoch days (days since
-- 1970-01-01 UTC); periods are 'YYYY-MM'.

-- One row per org and day: the users and devices the org had that day (the daily job records
-- them; a second record of the same day replaces the first). No foreign key to organizations:
-- a deleted org's usage stays billable for the month it was used in.
CREATE TABLE usage_snapshots (
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  users INTEGER NOT NULL CHECK (users >= 0),
  devices INTEGER NOT NULL CHECK (devices >= 0),
  PRIMARY KEY (provider_id, org_id, day)
);
CREATE INDEX usage_snapshots_provider_day ON usage_snapshots (provider_id, day);

-- The operator's price per user (mtpctl billing set-price), and the user cap shown on usage.
CREATE TABLE billing_settings (
  provider_id TEXT PRIMARY KEY REFERENCES providers(id) ON DELETE CASCADE,
  price_per_user_cents INTEGER NOT NULL CHECK (price_per_user_cents >= 0),
  currency TEXT NOT NULL DEFAULT 'USD',
  user_cap INTEGER,
  updated INTEGER NOT NULL
);

-- The provider's billing address (GET/PUT .../billing/information).
CREATE TABLE billing_information (
  provider_id TEXT PRIMARY KEY REFERENCES providers(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  address_line1 TEXT NOT NULL DEFAULT '',
  address_line2 TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  updated INTEGER NOT NULL
);

-- One invoice per provider and month (the unique period makes the monthly close idempotent).
CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  period TEXT NOT NULL,
  issued INTEGER NOT NULL,
  due_date INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'void')),
  users INTEGER NOT NULL,
  price_per_user_cents INTEGER NOT NULL,
  currency TEXT NOT NULL,
  billed_cents INTEGER NOT NULL CHECK (billed_cents >= 0),
  paid_cents INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
  UNIQUE (provider_id, id),
  UNIQUE (provider_id, number),
  UNIQUE (provider_id, period)
);
CREATE INDEX invoices_provider_issued ON invoices (provider_id, issued);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL,
  invoice_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  at INTEGER NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (provider_id, invoice_id) REFERENCES invoices (provider_id, id) ON DELETE CASCADE
);
CREATE INDEX payments_provider_invoice ON payments (provider_id, invoice_id, at);
