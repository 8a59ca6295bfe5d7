#define G_LOG_DOMAIN "sextant-market-schema"

#include "config.h"

#include "market/sextant-market-schema.h"

/* The market feature's tables: portfolios and holdings, instruments, daily bars in symbol-year
 * blocks, the data lake of raw responses, quotes, saved jobs and results, what was seeded once,
 * and exchange rates. The versions are the database's user_version: they interleave with the
 * other features' (see workspace/sextant-schema.c), so a new migration takes the next free number
 * of the whole schema. */
static const SextantMigration migrations[] = {
  /* 1: portfolios and their holdings (foundation). */
  { 1, "market",
    "CREATE TABLE portfolios ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  base_currency TEXT NOT NULL DEFAULT 'USD',"
    "  benchmark TEXT,"
    "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE TABLE holdings ("
    "  id INTEGER PRIMARY KEY,"
    "  portfolio_id INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,"
    "  symbol TEXT NOT NULL,"
    "  quantity REAL,"
    "  weight REAL,"
    "  currency TEXT NOT NULL DEFAULT 'USD',"
    "  min_weight REAL,"
    "  max_weight REAL,"
    "  UNIQUE (portfolio_id, symbol));" },
  /* 2: market data cache and data lake, saved jobs and results (market data, issue 5). Every
   * raw response is kept zlib-compressed so that it can be re-parsed when a parser is fixed. */
  { 2, "market",
    "CREATE TABLE instruments ("
    "  symbol TEXT PRIMARY KEY,"
    "  name TEXT,"
    "  currency TEXT,"
    "  exchange TEXT,"
    "  source TEXT,"
    "  created_at INTEGER NOT NULL DEFAULT (unixepoch())) WITHOUT ROWID;"
    /* Daily bars in blocks of one symbol-year (see sextant-bar-block.h): each bar keeps its
     * provider and fetch time inside the block. */
    "CREATE TABLE bar_blocks ("
    "  id INTEGER PRIMARY KEY,"
    "  symbol TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  first_day INTEGER NOT NULL,"
    "  last_day INTEGER NOT NULL,"
    "  n_bars INTEGER NOT NULL,"
    "  fetched_at INTEGER NOT NULL,"
    "  providers TEXT NOT NULL,"
    "  bars BLOB NOT NULL,"
    "  UNIQUE (symbol, year));"
    "CREATE TABLE raw_responses ("
    "  id INTEGER PRIMARY KEY,"
    "  provider TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  symbol TEXT,"
    "  url TEXT,"
    "  status INTEGER NOT NULL,"
    "  content_type TEXT,"
    "  fetched_at INTEGER NOT NULL,"
    "  body_size INTEGER NOT NULL,"
    "  body BLOB NOT NULL,"
    "  from_day INTEGER NOT NULL DEFAULT 0,"
    "  to_day INTEGER NOT NULL DEFAULT 0,"
    "  parsed INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX raw_responses_by_symbol ON raw_responses (symbol, kind, fetched_at);"
    "CREATE TABLE quotes ("
    "  symbol TEXT PRIMARY KEY,"
    "  price REAL, change REAL, change_percent REAL, previous_close REAL,"
    "  open REAL, high REAL, low REAL, volume REAL,"
    "  as_of INTEGER NOT NULL,"
    "  fetched_at INTEGER NOT NULL,"
    "  provider TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  portfolio_id INTEGER REFERENCES portfolios(id) ON DELETE SET NULL,"
    "  kind TEXT NOT NULL,"
    "  parameters TEXT NOT NULL DEFAULT '{}',"
    "  inputs TEXT NOT NULL DEFAULT '{}',"
    "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE TABLE results ("
    "  id INTEGER PRIMARY KEY,"
    "  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    "  result TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE INDEX results_by_job ON results (job_id);" },
  /* 4: your own book (issue 14). `seeded` remembers what was put in once for a first use, so
   * that the demo portfolio a user deleted is not re-created; a database that already has
   * portfolios has had its first use. Holdings may record what was paid per unit. */
  { 4, "market",
    "CREATE TABLE seeded ("
    "  what TEXT PRIMARY KEY,"
    "  seeded_at INTEGER NOT NULL DEFAULT (unixepoch())) WITHOUT ROWID;"
    "INSERT INTO seeded (what) SELECT 'demo-portfolio' WHERE EXISTS (SELECT 1 FROM portfolios);"
    "ALTER TABLE holdings ADD COLUMN cost_basis REAL;" },
  /* 5: daily exchange rates (your currency, issue 14): units of `currency` per 1 `base` on each
   * day, NULL where the source published the date without a value (a holiday: missing, never
   * zero), with the source and fetch time of each row. The raw answers are in raw_responses. */
  { 5, "market",
    "CREATE TABLE fx_rates ("
    "  base TEXT NOT NULL,"
    "  currency TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  rate REAL CHECK (rate IS NULL OR rate > 0),"
    "  source TEXT NOT NULL,"
    "  fetched_at INTEGER NOT NULL,"
    "  PRIMARY KEY (base, currency, day)) WITHOUT ROWID;" },
  /* 6: user-defined stress scenarios (issue 14): a uniform market move, and shocks to single
   * instruments (replacing the market move for them) or to currencies against the base currency
   * (see sextant-stress-scenario.h). Foreign keys are on: a scenario's shocks go with it. */
  { 6, "market",
    "CREATE TABLE stress_scenarios ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  market REAL NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE TABLE stress_shocks ("
    "  scenario_id INTEGER NOT NULL REFERENCES stress_scenarios(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('instrument', 'currency')),"
    "  key TEXT NOT NULL,"
    "  shock REAL NOT NULL,"
    "  PRIMARY KEY (scenario_id, kind, key));" },
  /* 10: par yield curves (issue 17): one row per source, day and tenor, the yield in percent as
   * published; a tenor the source left empty has no row (missing, never zero). `day` is the
   * curve's "as of", `fetched_at` when it was fetched; the raw answers are in raw_responses. */
  { 10, "market",
    "CREATE TABLE par_yields ("
    "  source TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  tenor_months REAL NOT NULL CHECK (tenor_months > 0),"
    "  yield REAL NOT NULL,"
    "  fetched_at INTEGER NOT NULL,"
    "  PRIMARY KEY (source, day, tenor_months)) WITHOUT ROWID;" },
  /* 11: bonds and cash as holdings (issue 17). A bond's quantity is its face amount held, a
   * cash holding's its amount; `maturity` is a day (days since 1970), `coupon` and `spread`
   * fractions, `spread` NULL for a bond with no credit spread. Rows before are equities. */
  { 11, "market",
    "ALTER TABLE holdings ADD COLUMN kind TEXT NOT NULL DEFAULT 'equity' "
    "  CHECK (kind IN ('equity', 'bond', 'cash'));"
    "ALTER TABLE holdings ADD COLUMN coupon REAL;"
    "ALTER TABLE holdings ADD COLUMN maturity INTEGER;"
    "ALTER TABLE holdings ADD COLUMN frequency INTEGER;"
    "ALTER TABLE holdings ADD COLUMN day_count TEXT;"
    "ALTER TABLE holdings ADD COLUMN spread REAL;" },
  /* 17: rates and credit series (issue 17): FRED's (DGS10, ICE BofA's BAML… spreads) and the
   * ECB's €STR, one row a series and day with the value as published (percent), NULL where the
   * source marked the day missing ("." or empty: never zero). `source` says how the row came
   * (`fred`, the API; `fred-csv`, the keyless download; `ecb`), `fetched_at` when. `licensed`
   * marks ICE BofA's series, licensed to FRED and not redistributable: shown and computed with,
   * and left out of whatever leaves the machine (backups strip them). */
  { 17, "market",
    "CREATE TABLE rate_series ("
    "  provider TEXT NOT NULL,"
    "  series TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  value REAL,"
    "  source TEXT NOT NULL,"
    "  fetched_at INTEGER NOT NULL,"
    "  licensed INTEGER NOT NULL DEFAULT 0 CHECK (licensed IN (0, 1)),"
    "  PRIMARY KEY (provider, series, day)) WITHOUT ROWID;" },
};

/**
 * sextant_market_schema_get_migrations:
 * @n_migrations: (out): the number of migrations
 *
 * Returns: (array length=n_migrations) (transfer none): the market tables' migrations
 */
const SextantMigration *
sextant_market_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);

  return migrations;
}
