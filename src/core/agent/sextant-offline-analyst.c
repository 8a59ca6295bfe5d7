#define G_LOG_DOMAIN "sextant-offline-analyst"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "agent/sextant-offline-analyst-private.h"

/* Answers a few kinds of request without any language model: a small deterministic parser finds
 * the intent (keywords), the symbols (upper-case tickers, known symbols, a few company names) and
 * the numbers (confidence, horizon, period), then the same tools the agent offers Claude compute
 * the answer. It is what a user without an AWS account, or on a plane, gets. */

struct _SextantOfflineAnalyst
{
  GObject              parent_instance;
  SextantToolRegistry *registry;
};

G_DEFINE_FINAL_TYPE (SextantOfflineAnalyst, sextant_offline_analyst, G_TYPE_OBJECT)

static void
sextant_offline_analyst_finalize (GObject *object)
{
  SextantOfflineAnalyst *self = (SextantOfflineAnalyst *)object;

  g_clear_object (&self->registry);

  G_OBJECT_CLASS (sextant_offline_analyst_parent_class)->finalize (object);
}

static void
sextant_offline_analyst_class_init (SextantOfflineAnalystClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_offline_analyst_finalize;
}

static void
sextant_offline_analyst_init (SextantOfflineAnalyst *self)
{
}

/**
 * sextant_offline_analyst_new:
 * @registry: the tools to answer with (normally the agent's)
 *
 * Returns: (transfer full): an offline analyst
 */
SextantOfflineAnalyst *
sextant_offline_analyst_new (SextantToolRegistry *registry)
{
  SextantOfflineAnalyst *self;

  g_return_val_if_fail (SEXTANT_IS_TOOL_REGISTRY (registry), NULL);

  self = g_object_new (SEXTANT_TYPE_OFFLINE_ANALYST, NULL);
  self->registry = g_object_ref (registry);

  return self;
}

void
sextant_offline_request_free (SextantOfflineRequest *request)
{
  if (request == NULL)
    return;
  g_strfreev (request->symbols);
  g_strfreev (request->indicators);
  g_free (request->objective);
  g_free (request->portfolio);
  g_free (request->query);
  g_strfreev (request->currencies);
  g_free (request->base);
  g_free (request->curve_source);
  g_free (request->fit);
  g_clear_pointer (&request->bond, json_node_unref);
  g_free (request->bond_missing);
  g_clear_pointer (&request->shock, json_node_unref);
  g_free (request);
}

/* Words that look like tickers in upper case but are not. */
static const char * const not_symbols[] = {
  "RSI", "VAR", "CVAR", "ES", "SMA", "EMA", "MACD", "ATR", "BB", "I", "A", "OF", "FOR", "AND", "THE",
  "MY", "ME", "PM", "USD", "EUR", "IS", "IT", "ON", "IN", "TO", "AT", "VS", "OR", "WHAT", "HOW", "MIN",
  "MAX", "DAY", "DAYS", "PLEASE", "FX", "ETF", "CAGR", "OK", "AI", NULL,
};

static const char * const stop_words[] = {
  "the", "for", "and", "all", "day", "var", "rsi", "how", "what", "its", "his", "her", "min", "max",
  "can", "you", "are", "was", "cat", "dis", "has", "now", NULL,
};

static const struct { const char *name, *symbol; } company_names[] = {
  { "microsoft", "MSFT" }, { "intel", "INTC" }, { "coca-cola", "KO" }, { "exxon", "XOM" },
  { "walmart", "WMT" }, { "boeing", "BA" }, { "apple", "AAPL" }, { "tesla", "TSLA" },
  { "nvidia", "NVDA" }, { "amazon", "AMZN" }, { "google", "GOOGL" }, { "alphabet", "GOOGL" },
};

static gboolean
is_upper_ticker (const char *word)
{
  gboolean letter = FALSE;
  gsize len = strlen (word);

  if (len == 0 || len > 6)
    return FALSE;
  for (const char *p = word; *p; p++)
    {
      if (g_ascii_islower (*p))
        return FALSE;
      letter |= g_ascii_isupper (*p);
    }

  return letter && !g_strv_contains (not_symbols, word);
}

static void
add_symbol (GPtrArray  *symbols,
            const char *symbol)
{
  g_autofree char *up = g_ascii_strup (symbol, -1);

  for (guint i = 0; i < symbols->len; i++)
    if (g_str_equal (symbols->pdata[i], up))
      return;
  g_ptr_array_add (symbols, g_steal_pointer (&up));
}

static char *
symbol_for_word (const char         *word,
                 const char * const *known)
{
  g_autofree char *lower = g_ascii_strdown (word, -1);
  g_autofree char *upper = g_ascii_strup (word, -1);

  if (is_upper_ticker (word) || (word[0] == '^' && word[1] != '\0'))
    return g_steal_pointer (&upper);
  for (guint i = 0; i < G_N_ELEMENTS (company_names); i++)
    if (g_str_equal (lower, company_names[i].name))
      return g_strdup (company_names[i].symbol);
  if (strlen (word) >= 3 && !g_strv_contains (stop_words, lower) && g_strv_contains (known, upper))
    return g_steal_pointer (&upper);

  return NULL;
}

/* Splits on anything but letters, digits, '^', '.', '-' and '%'; trailing dots go. */
static char **
tokenize (const char *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = text; ; p++)
    {
      if (*p != '\0' && (g_ascii_isalnum (*p) || strchr ("^.-%", *p) != NULL))
        {
          g_string_append_c (word, *p);
          continue;
        }
      while (word->len > 0 && strchr (".-", word->str[word->len - 1]) != NULL)
        g_string_truncate (word, word->len - 1);
      if (word->len > 0)
        g_ptr_array_add (words, g_strdup (word->str));
      g_string_truncate (word, 0);
      if (*p == '\0')
        break;
    }
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

static gboolean
has (const char *lower,
     const char *needle)
{
  return strstr (lower, needle) != NULL;
}

/* The desks' questions (issue 17), before the equity ones: “price” and “risk” appear in them. */
static gboolean
has_iso_date (const char *lower)
{
  return g_regex_match_simple ("\\b[0-9]{4}-[0-9]{2}-[0-9]{2}\\b", lower, 0, 0);
}

static gboolean has_shock_words (const char *lower);

static SextantOfflineIntent
find_desk_intent (const char *lower)
{
  /* Before the bond's: a scenario may name a bond's coupon and a date too. */
  if (has_shock_words (lower))
    return SEXTANT_OFFLINE_INTENT_SHOCK;
  if ((has (lower, "bond") || has (lower, "coupon") || has (lower, "treasury of") || has (lower, "gilt") ||
       has (lower, "bund") || has (lower, "note of")) && has (lower, "%") && has_iso_date (lower))
    return SEXTANT_OFFLINE_INTENT_BOND;
  if (has (lower, "yield curve") || has (lower, "par curve") || has (lower, "zero curve") ||
      has (lower, "zero rate") || has (lower, "forward rate") || has (lower, "svensson") ||
      has (lower, "nelson") || has (lower, "par yield"))
    return SEXTANT_OFFLINE_INTENT_YIELD_CURVE;
  if (has (lower, "exchange rate") || has (lower, "fx rate") || has (lower, "reference rate") ||
      has (lower, "cross rate") || has (lower, "currency rate"))
    return SEXTANT_OFFLINE_INTENT_FX_RATES;
  return SEXTANT_OFFLINE_INTENT_UNKNOWN;
}

static SextantOfflineIntent
find_intent (const char *lower)
{
  SextantOfflineIntent desk = find_desk_intent (lower);

  if (desk != SEXTANT_OFFLINE_INTENT_UNKNOWN)
    return desk;
  if (has (lower, "optimi") || has (lower, "allocat") || has (lower, "risk parity") ||
      has (lower, "minimum variance") || has (lower, "min variance") || has (lower, "max sharpe") ||
      has (lower, "maximum sharpe") || has (lower, "min-variance"))
    return SEXTANT_OFFLINE_INTENT_OPTIMIZE;
  if (has (lower, "backtest") || has (lower, "rebalanc"))
    return SEXTANT_OFFLINE_INTENT_BACKTEST;
  if (has (lower, "scenario") || has (lower, "monte carlo") || has (lower, "simulat"))
    return SEXTANT_OFFLINE_INTENT_SCENARIOS;
  if (has (lower, "forecast") || has (lower, "predict") || has (lower, "outlook"))
    return SEXTANT_OFFLINE_INTENT_FORECAST;
  if (has (lower, "drawdown") || has (lower, "draw-down"))
    return SEXTANT_OFFLINE_INTENT_DRAWDOWN;
  if (has (lower, "rsi") || has (lower, "macd") || has (lower, "sma") || has (lower, "ema") ||
      has (lower, "bollinger") || has (lower, "moving average") || has (lower, "atr") ||
      has (lower, "indicator"))
    return SEXTANT_OFFLINE_INTENT_INDICATORS;
  if (has (lower, "var") || has (lower, "value at risk") || has (lower, "shortfall") ||
      has (lower, "risk") || has (lower, "volatility") || has (lower, "sharpe"))
    return SEXTANT_OFFLINE_INTENT_RISK;
  if (has (lower, "quote") || has (lower, "price") || has (lower, "close") || has (lower, "trading at"))
    return SEXTANT_OFFLINE_INTENT_QUOTE;

  return SEXTANT_OFFLINE_INTENT_UNKNOWN;
}

/* Words of a question about the desk's documents rather than about prices. */
static gboolean
asks_documents (const char *lower)
{
  const char * const words[] = {
    "document", "policy", "policies", "manual", "knowledge base", "according to", "say about", "says about",
    "minutes", "research note", "mandate", "our rules", "guideline", "allowed to", "permitted",
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (has (lower, words[i]))
      return TRUE;

  return FALSE;
}

static gboolean
has_documents (SextantToolRegistry *registry)
{
  g_autoptr(SextantKbSearcher) searcher = sextant_tool_data_dup_knowledge (sextant_tool_registry_get_data (registry));
  g_autoptr(GPtrArray) documents = NULL;

  if (searcher == NULL)
    return FALSE;
  documents = sextant_kb_store_list (sextant_kb_searcher_get_store (searcher), NULL);

  return documents != NULL && documents->len > 0;
}

static char **
find_indicators (const char *lower)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const struct { const char *word, *name; } map[] = {
    { "rsi", "rsi" }, { "macd", "macd" }, { "sma", "sma" }, { "moving average", "sma" },
    { "ema", "ema" }, { "bollinger", "bbands" }, { "atr", "atr" }, { "volatility", "volatility" },
  };
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (has (lower, map[i].word) && !g_ptr_array_find_with_equal_func (seen, map[i].name, g_str_equal, NULL))
      {
        g_ptr_array_add (seen, (gpointer) map[i].name);
        g_strv_builder_add (builder, map[i].name);
      }

  return g_strv_builder_end (builder);
}

static char *
find_objective (const char *lower)
{
  if (has (lower, "risk parity") || has (lower, "equal risk"))
    return g_strdup ("risk_parity");
  if (has (lower, "sharpe"))
    return g_strdup ("max_sharpe");

  return g_strdup ("min_variance");
}

/* The words after “portfolio”, if any: “VaR of portfolio Dow Blue Chips”. */
static char *
find_portfolio_name (const char *text)
{
  const char *at = strstr (text, "portfolio");
  g_autofree char *rest = NULL;

  if (at == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (text, -1);
      const char *l = strstr (lower, "portfolio");

      if (l == NULL)
        return NULL;
      at = text + (l - lower);
    }
  rest = g_strdup (at + strlen ("portfolio"));
  g_strdelimit (rest, "?!\"“”'", ' ');
  g_strstrip (rest);
  while (rest[0] != '\0' && strchr (".,:;", rest[strlen (rest) - 1]) != NULL)
    rest[strlen (rest) - 1] = '\0';
  g_strstrip (rest);

  return rest[0] != '\0' ? g_steal_pointer (&rest) : NULL;
}

static void
find_numbers (SextantOfflineRequest  *request,
              char                  **words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *end = NULL;
      double v = g_ascii_strtod (words[i], &end);
      g_autofree char *next = words[i + 1] != NULL ? g_ascii_strdown (words[i + 1], -1) : g_strdup ("");

      if (end == words[i])
        continue;
      if (*end == '%' && v > 50 && v < 100)
        request->confidence = v / 100;
      else if (*end == '\0' && v >= 1 && v <= 1000 && v == (guint) v)
        {
          if (g_str_has_prefix (next, "day") || g_str_has_prefix (next, "session"))
            request->horizon = (guint) v;
          else if (request->period == 0 && request->intent == SEXTANT_OFFLINE_INTENT_INDICATORS)
            request->period = (guint) v;
        }
      else if (g_ascii_strcasecmp (end, "-day") == 0 || g_ascii_strcasecmp (end, "d") == 0)
        {
          if (request->intent == SEXTANT_OFFLINE_INTENT_INDICATORS)
            request->period = (guint) v;
          else
            request->horizon = (guint) v;
        }
    }
}

/* The currencies of the ECB's reference rates and the euro. */
static const char * const currency_codes[] = {
  "EUR", "USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK",
  "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP",
  "SGD", "THB", "ZAR", NULL,
};

static void
find_currencies (SextantOfflineRequest *request,
                 char                 **words)
{
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *up = g_ascii_strup (words[i], -1);
      const char *code = NULL;

      for (guint k = 0; currency_codes[k] != NULL && code == NULL; k++)
        if (g_str_equal (up, currency_codes[k]))
          code = currency_codes[k];
      if (code == NULL)
        continue;
      if (request->base == NULL && i > 0 &&
          (g_ascii_strcasecmp (words[i - 1], "in") == 0 || g_ascii_strcasecmp (words[i - 1], "against") == 0 ||
           g_ascii_strcasecmp (words[i - 1], "base") == 0 || g_ascii_strcasecmp (words[i - 1], "per") == 0))
        {
          request->base = g_strdup (code);
          continue;
        }
      if (!g_ptr_array_find_with_equal_func (seen, code, g_str_equal, NULL))
        {
          g_ptr_array_add (seen, (gpointer) code);
          g_strv_builder_add (found, code);
        }
    }
  request->currencies = g_strv_builder_end (found);
}

/* The first number a pattern's group 1 captures in @lower, or NAN. */
static double
match_number (const char *lower,
              const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = NULL;

  if (regex == NULL || !g_regex_match (regex, lower, 0, &match))
    return NAN;
  text = g_match_info_fetch (match, 1);
  return g_ascii_strtod (text, NULL);
}

static gint32
match_day (const char *lower,
           const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = NULL;
  gint32 day = 0;

  if (regex == NULL || !g_regex_match (regex, lower, 0, &match))
    return 0;
  text = g_match_info_fetch (match, 1);
  return sextant_day_parse_iso (text, &day) ? day : 0;
}

#define ISO_DATE "([0-9]{4}-[0-9]{2}-[0-9]{2})"
#define NUMBER "(-?[0-9]+(?:\\.[0-9]+)?)"

/* A bond's terms in words: “the 4.25% Treasury of 2034-11-15 at 4.1%, settling 2026-12-07”. */
static void
find_bond (SextantOfflineRequest *request,
           const char            *lower)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  double coupon = match_number (lower, NUMBER "\\s*%\\s*(?:coupon|bond|treasury|note|gilt|bund|annual|semi)");
  double yield = match_number (lower, "(?:yield(?:ing)?|at)\\s*(?:of\\s*|an?\\s*)?" NUMBER "\\s*%");
  double price = match_number (lower, "price(?:d)?\\s*(?:of|at)?\\s*" NUMBER "(?!\\s*%)");
  gint32 maturity = match_day (lower, "(?:matur\\w*|due|of|until)\\s*(?:on\\s*)?" ISO_DATE);
  gint32 settlement = match_day (lower, "(?:settl\\w*|as of|on)\\s*(?:on\\s*)?" ISO_DATE);
  int frequency = has (lower, "annual") && !has (lower, "semi") ? 1 : has (lower, "quarterly") ? 4 :
                  has (lower, "monthly") ? 12 : 2;
  const char *day_count = has (lower, "30/360") ? "30/360" : has (lower, "act/360") ? "act/360" :
                          has (lower, "act/365") ? "act/365f" : "act/act-icma";

  if (isnan (coupon))
    coupon = match_number (lower, "coupon\\s*(?:of\\s*)?" NUMBER);
  if (isnan (yield))
    yield = match_number (lower, NUMBER "\\s*%\\s*yield");
  if (maturity == 0)
    maturity = match_day (lower, ISO_DATE);
  if (isnan (coupon) || maturity == 0 || (isnan (yield) && isnan (price)))
    {
      request->bond_missing = g_strdup (isnan (coupon) ? "coupon" : maturity == 0 ? "maturity" : "yield or price");
      return;
    }
  {
    g_autofree char *maturity_text = sextant_day_format_iso (maturity);
    g_autofree char *settlement_text = settlement > 0 ? sextant_day_format_iso (settlement) : NULL;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "coupon");
    json_builder_add_double_value (b, coupon);
    json_builder_set_member_name (b, "maturity");
    json_builder_add_string_value (b, maturity_text);
    json_builder_set_member_name (b, "settlement");
    if (settlement_text != NULL)
      json_builder_add_string_value (b, settlement_text);
    else
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

        json_builder_add_string_value (b, today);
      }
    json_builder_set_member_name (b, isnan (yield) ? "price" : "yield");
    json_builder_add_double_value (b, isnan (yield) ? price : yield);
    json_builder_set_member_name (b, "frequency");
    json_builder_add_int_value (b, frequency);
    json_builder_set_member_name (b, "day_count");
    json_builder_add_string_value (b, day_count);
    json_builder_end_object (b);
    request->bond = json_builder_get_root (b);
  }
}

/* Words that name a currency in a scenario: “a 10 % dollar fall”. ISO codes are read too. */
static const struct { const char *word, *code; } currency_words[] = {
  { "dollar", "USD" }, { "greenback", "USD" }, { "euro", "EUR" }, { "sterling", "GBP" },
  { "pound", "GBP" }, { "yen", "JPY" }, { "franc", "CHF" }, { "yuan", "CNY" }, { "renminbi", "CNY" },
};

#define MOVE_DOWN "\\b(?:fall|falls|falling|fell|drop|drops|dropping|decline|declines|lower|down|cut|cuts|" \
  "tighten|tightens|tightening|weaken|weakens|weakening|depreciat\\w*|slump\\w*)\\b"

static gboolean
has_shock_words (const char *lower)
{
  gboolean bp = g_regex_match_simple ("[0-9]\\s*(?:bp|bps|basis points?)\\b", lower, 0, 0);
  gboolean moves = g_regex_match_simple ("\\b(?:rise|rises|fall|falls|drop|shock|shocks|widen\\w*|tighten\\w*|"
                                         "weaken\\w*|strengthen\\w*|depreciat\\w*|appreciat\\w*)\\b",
                                         lower, 0, 0);
  gboolean book = has (lower, "book") || has (lower, "portfolio") || has (lower, "p&l") || has (lower, "pnl");

  return book && (bp || (moves && has (lower, "%")));
}

/* The currency a clause of a scenario moves, or NULL. */
static const char *
clause_currency (const char *clause)
{
  g_auto(GStrv) words = g_regex_split_simple ("[^a-z]+", clause, 0, 0);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *up = g_ascii_strup (words[i], -1);

      for (guint k = 0; k < G_N_ELEMENTS (currency_words); k++)
        if (g_str_equal (words[i], currency_words[k].word) ||
            (g_str_has_prefix (words[i], currency_words[k].word) && g_str_equal (words[i] + strlen (currency_words[k].word), "s")))
          return currency_words[k].code;
      for (guint k = 0; currency_codes[k] != NULL; k++)
        if (g_str_equal (up, currency_codes[k]))
          return currency_codes[k];
    }
  return NULL;
}

/* A scenario in words, clause by clause (“a 100 bp parallel rise in rates and a 10 % dollar
 * fall”): a move in bp moves rates, or spreads when the clause says so; a move in percent of a
 * currency moves that currency; a falling, dropping or tightening clause is negative unless the
 * number carries its own sign. */
static void
find_shock (SextantOfflineRequest *request,
            const char            *lower)
{
  g_autoptr(GRegex) clauses = g_regex_new ("\\band\\b|\\bwhile\\b|\\bwith\\b|\\bplus\\b|[,;]", 0, 0, NULL);
  g_autoptr(GRegex) bp = g_regex_new ("([+-]?[0-9]+(?:\\.[0-9]+)?)\\s*(?:bp|bps|basis points?)\\b", 0, 0, NULL);
  g_autoptr(GRegex) percent = g_regex_new ("([+-]?[0-9]+(?:\\.[0-9]+)?)\\s*(?:%|percent|per cent)", 0, 0, NULL);
  g_auto(GStrv) parts = g_regex_split (clauses, lower, 0);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GHashTable) fx = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  double rates = 0, spreads = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      gboolean down = g_regex_match_simple (MOVE_DOWN, parts[i], 0, 0);
      gboolean spread = has (parts[i], "spread") || has (parts[i], "credit");
      const char *currency = clause_currency (parts[i]);
      gboolean is_bp = g_regex_match (bp, parts[i], 0, &match);

      if (!is_bp)
        {
          g_clear_pointer (&match, g_match_info_unref);
          if (!g_regex_match (percent, parts[i], 0, &match))
            continue;
        }
      {
        g_autofree char *text = g_match_info_fetch (match, 1);
        gboolean signed_number = text[0] == '+' || text[0] == '-';
        double size = g_ascii_strtod (text, NULL);

        if (!signed_number && down)
          size = -size;
        /* “rates up 1 %” is a move of percentage points; a currency's is a change of its value. */
        if (is_bp || currency == NULL)
          {
            double in_bp = is_bp ? size : size * 100;

            if (spread)
              spreads = in_bp;
            else if (is_bp || has (parts[i], "rate") || has (parts[i], "yield") || has (parts[i], "curve"))
              rates = in_bp;
          }
        else
          {
            if (!g_hash_table_contains (fx, currency))
              g_ptr_array_add (order, (gpointer) currency);
            g_hash_table_insert (fx, (gpointer) currency, g_memdup2 (&size, sizeof size));
          }
      }
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rates_bp");
  json_builder_add_double_value (b, rates);
  json_builder_set_member_name (b, "spreads_bp");
  json_builder_add_double_value (b, spreads);
  json_builder_set_member_name (b, "fx");
  json_builder_begin_array (b);
  for (guint i = 0; i < order->len; i++)
    {
      const double *size = g_hash_table_lookup (fx, order->pdata[i]);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, order->pdata[i]);
      json_builder_set_member_name (b, "shock_percent");
      json_builder_add_double_value (b, *size);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  request->shock = json_builder_get_root (b);
}

/**
 * sextant_offline_analyst_parse:
 * @self: an analyst
 * @text: the user's request
 *
 * Returns: (transfer full): what the request asks for
 */
SextantOfflineRequest *
sextant_offline_analyst_parse (SextantOfflineAnalyst *self,
                               const char            *text)
{
  g_autoptr(SextantOfflineRequest) request = g_new0 (SextantOfflineRequest, 1);
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_auto(GStrv) words = tokenize (text);
  g_auto(GStrv) known = sextant_tool_data_list_symbols (sextant_tool_registry_get_data (self->registry));
  g_auto(GStrv) name_words = NULL;
  g_autoptr(GPtrArray) symbols = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (SEXTANT_IS_OFFLINE_ANALYST (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  request->intent = find_intent (lower);
  request->query = g_strdup (text);
  /* With documents to search, a question about them, or one about nothing else the analyst
   * knows, is answered from them. */
  if (sextant_tool_registry_lookup (self->registry, "search_knowledge_base") != NULL &&
      (asks_documents (lower) || request->intent == SEXTANT_OFFLINE_INTENT_UNKNOWN) &&
      has_documents (self->registry))
    request->intent = SEXTANT_OFFLINE_INTENT_KNOWLEDGE;
  request->mentions_portfolio = has (lower, "portfolio");
  request->portfolio = find_portfolio_name (text);
  name_words = request->portfolio != NULL ? tokenize (request->portfolio) : g_new0 (char *, 1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *symbol = NULL;

      if (g_strv_contains ((const char * const *) name_words, words[i]))
        continue;
      if ((symbol = symbol_for_word (words[i], (const char * const *) known)) != NULL)
        add_symbol (symbols, symbol);
    }
  g_ptr_array_add (symbols, NULL);
  request->symbols = (char **) g_ptr_array_free (g_steal_pointer (&symbols), FALSE);
  if (request->intent == SEXTANT_OFFLINE_INTENT_INDICATORS)
    request->indicators = find_indicators (lower);
  if (request->intent == SEXTANT_OFFLINE_INTENT_OPTIMIZE)
    request->objective = find_objective (lower);
  find_numbers (request, words);
  if (request->intent == SEXTANT_OFFLINE_INTENT_FX_RATES)
    find_currencies (request, words);
  if (request->intent == SEXTANT_OFFLINE_INTENT_FX_RATES || request->intent == SEXTANT_OFFLINE_INTENT_YIELD_CURVE)
    request->day = match_day (lower, ISO_DATE);
  if (request->intent == SEXTANT_OFFLINE_INTENT_YIELD_CURVE)
    {
      request->curve_source = g_strdup (has (lower, "ecb") || has (lower, "euro") || has (lower, "bund")
                                        ? "ecb" : "treasury");
      request->fit = has (lower, "svensson") ? g_strdup ("svensson")
                     : has (lower, "nelson") ? g_strdup ("nelson-siegel") : NULL;
    }
  if (request->intent == SEXTANT_OFFLINE_INTENT_BOND)
    find_bond (request, lower);
  if (request->intent == SEXTANT_OFFLINE_INTENT_SHOCK)
    {
      find_shock (request, lower);
      request->day = match_day (lower, ISO_DATE);
      /* “portfolio Desk book if rates fall 25 bp, …”: the name ends where the scenario begins. */
      if (request->portfolio != NULL)
        {
          g_auto(GStrv) name = g_regex_split_simple ("\\s+(?:if|when|under|with|after|given|on|for|in)\\b|[,;:]",
                                                     request->portfolio, G_REGEX_CASELESS, 0);

          g_free (request->portfolio);
          request->portfolio = g_strstrip (g_strdup (name[0] != NULL ? name[0] : ""));
          if (request->portfolio[0] == '\0')
            g_clear_pointer (&request->portfolio, g_free);
        }
    }

  return g_steal_pointer (&request);
}

static char *
label (const char *reason)
{
  /* Translators: the offline label, then a space and why there is no connection, or nothing */
  return g_strdup_printf (_("> **%s.**%s%s Answers below come from Sextant's own tools on the local "
                            "data; no language model was used.\n\n"),
                          SEXTANT_OFFLINE_LABEL, reason != NULL ? " " : "", reason != NULL ? reason : "");
}

/**
 * sextant_offline_analyst_answer:
 * @self: an analyst
 * @text: the user's request
 * @reason: (nullable): why the analyst answers instead of Claude (“No AWS credentials were found.”)
 * @cancellable: (nullable): a cancellable
 *
 * Always answers: a request it cannot parse, or whose symbols are not in the data, gets an
 * explanation in Markdown rather than an error.
 *
 * Returns: (transfer full): the Markdown answer, starting with the offline label
 */
char *
sextant_offline_analyst_answer (SextantOfflineAnalyst *self,
                                const char            *text,
                                const char            *reason,
                                GCancellable          *cancellable)
{
  return sextant_offline_analyst_answer_with_calls (self, text, reason, cancellable, NULL);
}

void
sextant_offline_tool_call_free (SextantOfflineToolCall *call)
{
  g_free (call->name);
  g_clear_pointer (&call->input, json_node_unref);
  g_clear_pointer (&call->result, json_node_unref);
  g_free (call);
}

/**
 * sextant_offline_analyst_answer_with_calls:
 * @self: an analyst
 * @text: the user's request
 * @reason: (nullable): why the analyst answers instead of Claude
 * @cancellable: (nullable): a cancellable
 * @calls: (out) (optional) (element-type SextantOfflineToolCall): the tools run for the answer,
 *   in order
 *
 * As sextant_offline_analyst_answer(), also saying which tools it ran with what.
 *
 * Returns: (transfer full): the Markdown answer, starting with the offline label
 */
char *
sextant_offline_analyst_answer_with_calls (SextantOfflineAnalyst  *self,
                                           const char             *text,
                                           const char             *reason,
                                           GCancellable           *cancellable,
                                           GPtrArray             **calls)
{
  g_autoptr(SextantOfflineRequest) request = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_offline_tool_call_free);
  g_autofree char *head = label (reason);
  g_autofree char *body = NULL;

  g_return_val_if_fail (SEXTANT_IS_OFFLINE_ANALYST (self), NULL);

  request = sextant_offline_analyst_parse (self, text);
  body = request->intent == SEXTANT_OFFLINE_INTENT_UNKNOWN
         ? _sextant_offline_help () : _sextant_offline_render (self->registry, request, cancellable, made);
  if (calls != NULL)
    *calls = g_steal_pointer (&made);

  return g_strconcat (head, body, NULL);
}

typedef struct
{
  char      *text;
  char      *reason;
  GPtrArray *calls;
} AnswerData;

static void
answer_data_free (gpointer data)
{
  AnswerData *d = data;

  g_free (d->text);
  g_free (d->reason);
  g_clear_pointer (&d->calls, g_ptr_array_unref);
  g_free (d);
}

static void
answer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AnswerData *d = task_data;
  char *answer = sextant_offline_analyst_answer_with_calls (source_object, d->text, d->reason, cancellable,
                                                            &d->calls);

  if (g_task_return_error_if_cancelled (task))
    g_free (answer);
  else
    g_task_return_pointer (task, answer, g_free);
}

/**
 * sextant_offline_analyst_answer_async:
 * @self: an analyst
 * @text: the request
 * @reason: (nullable): why the answer is offline
 * @cancellable: (nullable): a cancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Computes the answer on a worker thread (a Monte Carlo request takes a moment).
 */
void
sextant_offline_analyst_answer_async (SextantOfflineAnalyst *self,
                                      const char            *text,
                                      const char            *reason,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  AnswerData *d = g_new0 (AnswerData, 1);

  g_return_if_fail (SEXTANT_IS_OFFLINE_ANALYST (self));

  d->text = g_strdup (text);
  d->reason = g_strdup (reason);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_offline_analyst_answer_async);
  g_task_set_task_data (task, d, answer_data_free);
  g_task_run_in_thread (task, answer_thread);
}

/**
 * sextant_offline_analyst_answer_finish:
 *
 * Returns: (transfer full): the Markdown answer, or %NULL when cancelled
 */
char *
sextant_offline_analyst_answer_finish (SextantOfflineAnalyst  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sextant_offline_analyst_answer_get_calls:
 * @self: an analyst
 * @result: the result given to the callback of sextant_offline_analyst_answer_async()
 *
 * Returns: (transfer none) (nullable) (element-type SextantOfflineToolCall): the tools run for
 *   the answer, in order
 */
GPtrArray *
sextant_offline_analyst_answer_get_calls (SextantOfflineAnalyst *self,
                                          GAsyncResult          *result)
{
  AnswerData *d;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  d = g_task_get_task_data (G_TASK (result));

  return d->calls;
}
