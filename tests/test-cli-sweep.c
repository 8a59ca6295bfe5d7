#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Every subcommand of `sextant-cli --help`, every action its own --help lists and every option
 * that takes a value, run with hostile values: empty, NaN, infinities, huge numbers, text that is
 * not UTF-8, a file that is empty, binary or a folder. Each run must end in under 10 s with exit 2
 * or 3 and a specific message: never a signal, a hang, a CRITICAL (G_DEBUG=fatal-criticals turns
 * one into an abort), "unknown error", or exit 0 with NaN or nothing on stdout. The list comes
 * from --help, so a new subcommand or option is swept without touching this file; only a valid
 * base command line for it (below) makes its options reach past the usage checks. */

#define RUN_SECONDS 10

static const char *cli_path;
static char *work_dir;

typedef enum
{
  KIND_EMPTY,
  KIND_NAN,
  KIND_INF,
  KIND_HUGE,
  KIND_INT_MAX,
  KIND_NOT_UTF8,
  KIND_MALFORMED,
  KIND_FILE,
} ValueKind;

typedef struct
{
  ValueKind   kind;
  const char *value;    /* for KIND_FILE, a file name under work_dir */
} Hostile;

static const Hostile hostile[] = {
  { KIND_EMPTY, "" },
  { KIND_NAN, "nan" },
  { KIND_INF, "-inf" },
  { KIND_HUGE, "1e308" },
  { KIND_INT_MAX, "2147483647" },
  { KIND_NOT_UTF8, "\xff\xfe\xc3(" },
  { KIND_MALFORMED, ",,=:;\"" },
  { KIND_FILE, "empty.csv" },
  { KIND_FILE, "binary.csv" },
  { KIND_FILE, "folder" },
};

/* A command line on which each command succeeds, so that a hostile value of one option meets
 * the code that uses it, not the check for a missing required option. Files are relative to
 * tests/data; "@" stands for the first positional argument slot. A command without an entry is
 * still swept from an empty base. */
typedef struct
{
  const char *command;
  const char *args[12];
} Base;

static const Base bases[] = {
  { "info", { NULL } },
  { "secrets status", { NULL } },
  { "indicators", { "--csv", "market/msft_2000-09_2001-09_ohlcv.csv", "--sma", "20", NULL } },
  { "forecast", { "--csv", "market/msft_2000-09_2001-09_ohlcv.csv", "--horizon", "5", NULL } },
  { "scenarios", { "--paths", "200", "--steps", "20", NULL } },
  { "risk", { "--prices", "market/spisector_prices.csv", "--simulations", "1000", NULL } },
  { "optimize", { "--prices", "market/spisector_prices.csv", "--objective", "min-variance", NULL } },
  { "frontier", { "--prices", "market/spisector_prices.csv", "--points", "5", NULL } },
  { "backtest", { "--prices", "market/spisector_prices.csv", "--weights", "SPI=0.5,BASI=0.5",
                  "--strategy", "buy-and-hold", NULL } },
  { "quote", { "MSFT", NULL } },
  { "history", { "MSFT", NULL } },
  { "import", { "market/msft_2000-09_2001-09_ohlcv.csv", "--symbol", "SWEEP", NULL } },
  { "portfolio list", { NULL } },
  { "portfolio show", { "Dow Blue Chips (demo)", NULL } },
  { "portfolio create", { "Sweep", NULL } },
  { "portfolio rename", { "Dow Blue Chips (demo)", "Sweep renamed", NULL } },
  { "portfolio delete", { "Dow Blue Chips (demo)", NULL } },
  { "portfolio add", { "Dow Blue Chips (demo)", "MSFT", "--shares", "10", NULL } },
  { "portfolio remove", { "Dow Blue Chips (demo)", "MSFT", NULL } },
  { "usage", { "--month", "2026-12", NULL } },
  { "conversations list", { NULL } },
  { "conversations search", { "RSI", NULL } },
  { "conversations show", { "1", NULL } },
  { "conversations export", { "1", "--format", "json", NULL } },
  { "conversations rename", { "1", "Renamed", NULL } },
  { "conversations delete", { "1", NULL } },
  { "conversations restore", { "2", NULL } },
  { "secrets set", { "finnhub", NULL } },
  { "secrets clear", { "finnhub", NULL } },
  { "ask", { "What is VaR?", NULL } },
  { "fx", { "USD", NULL } },
  { "bond", { "price", "--coupon", "4.25", "--maturity", "2034-11-15", "--settlement",
              "2026-12-07", "--yield", "4.1", NULL } },
  { "curve", { "--source", "rates/treasury_par_2025-02.csv", "--fit", "svensson", NULL } },
  { "fred", { "DGS10", "--from", "2025-02-10", "--to", "2025-02-28", NULL } },
  { "shock", { "--portfolio", "Dow Blue Chips (demo)", "--rates", "+100bp", "--fx", "EUR=-10%",
               NULL } },
};

/* Options whose value holds several numbers (`--bbands N,K`, `--weights S=w,…`), with a valid
 * value: each number in it is replaced in turn by a hostile one. An option whose --help shows
 * such a value (a “,”, “=” or “:” in its placeholder) must have an example here; the sweep
 * fails for one that has none, so a new one is not left out. */
typedef struct
{
  const char *command;
  const char *option;
  const char *example;
  const char *extra[4];
} Example;

static const Example examples[] = {
  { "indicators", "--macd", "12,26,9", { NULL } },
  { "indicators", "--bbands", "20,2", { NULL } },
  { "indicators", "--stoch", "14,3,3", { NULL } },
  { "scenarios", "--heston", "2,0.5,-0.7", { "--model", "heston", NULL } },
  { "risk", "--weights", "SPI=0.5,BASI=0.5", { NULL } },
  { "risk", "--confidence", "0.95,0.99", { NULL } },
  { "risk", "--shock", "UTIL=-0.3", { NULL } },
  { "optimize", "--bounds", "0,1", { NULL } },
  { "optimize", "--objective", "target-return:0.0003", { NULL } },
  { "optimize", "--objective", "target-volatility:0.01", { NULL } },
  { "frontier", "--bounds", "0,1", { NULL } },
  { "backtest", "--weights", "SPI=0.5,BASI=0.5", { NULL } },
  { "backtest", "--strategy", "threshold:0.05", { NULL } },
  { "shock", "--fx", "EUR=-10%", { NULL } },
};

static const char *hostile_numbers[] = { "", "nan", "-inf", "1e308", "-1e308", "2147483647" };

#define K(kind) (1u << (kind))
#define ANY_TEXT (K (KIND_NAN) | K (KIND_INF) | K (KIND_HUGE) | K (KIND_INT_MAX) | K (KIND_MALFORMED))

/* Where a hostile-looking value is a valid one, and the exit code it then ends with. Nothing
 * else may end otherwise than with exit 2 or 3. */
typedef struct
{
  const char *what;     /* "COMMAND OPTION" or "COMMAND argument N"; "*" ends a prefix */
  guint       kinds;
  int         status;
  const char *why;
} Allowance;

static const Allowance allowances[] = {
  { "portfolio create argument 1", ANY_TEXT | K (KIND_FILE), 0,
    "a portfolio's name is free text: “nan”, “1e308” or a path are names" },
  { "portfolio rename argument 2", ANY_TEXT | K (KIND_FILE), 0, "the new name, free text" },
  { "conversations rename argument 2", ANY_TEXT | K (KIND_FILE), 0, "a title is free text" },
  { "conversations search argument 1", ANY_TEXT | K (KIND_FILE), 0, "any words can be searched for" },
  { "kb search argument 1", ANY_TEXT | K (KIND_FILE), 0, "any words can be searched for" },
  { "kb add argument 1", K (KIND_FILE), 0,
    "a file with text is a document to index (the sweep's export --output may have written one)" },
  { "conversations export --output", ANY_TEXT | K (KIND_FILE), 0,
    "“nan” or an existing file is a file name to write to" },
  { "scenarios --write-job", ANY_TEXT, 0,
    "“nan” or “1e308” is the name of the new file the job is written to" },
  { "import --symbol", K (KIND_NAN) | K (KIND_INF) | K (KIND_HUGE) | K (KIND_INT_MAX), 0,
    "tickers may be words such as NAN or INF, or digits (7203)" },
  { "portfolio create --benchmark", K (KIND_NAN) | K (KIND_INF) | K (KIND_HUGE) | K (KIND_INT_MAX), 0,
    "a benchmark is a ticker" },
  { "portfolio add argument 2", K (KIND_NAN) | K (KIND_INF) | K (KIND_HUGE) | K (KIND_INT_MAX), 0,
    "the holding's ticker" },
  { "portfolio create --currency", K (KIND_NAN) | K (KIND_INF), 0,
    "three letters are taken as an ISO 4217 code; Sextant keeps no list of them" },
  { "ask argument 1", ANY_TEXT | K (KIND_FILE), 4,
    "any text is a question; the sweep has no AWS credentials" },
  { "fx argument 1", K (KIND_NAN) | K (KIND_INF), 7,
    "three letters are a currency code to ask the ECB for, which the sweep cannot reach" },
  { "* --seed", K (KIND_INT_MAX), 0, "2³¹ − 1 is a seed like any other" },
  { "* --limit", K (KIND_INT_MAX), 0, "“at most 2³¹ − 1 hits” is no limit" },
  { "ask --system", ANY_TEXT | K (KIND_FILE), 4, "any text is a system prompt; no credentials here" },
  { "fx --base", K (KIND_NAN) | K (KIND_INF), 7, "as for fx's SYMBOL" },
  { "fred argument 1", K (KIND_NAN) | K (KIND_HUGE) | K (KIND_INT_MAX), 7,
    "letters and digits are a FRED series id to ask for, and the sweep cannot reach FRED" },
  { "portfolio add --shares", K (KIND_INT_MAX), 0, "2³¹ − 1 shares is within the 10¹² allowed" },
  { "portfolio add --cost-basis", K (KIND_INT_MAX), 0, "a price of 2³¹ − 1 is within the 10¹² allowed" },
  { "backup argument 1", ANY_TEXT, 4,
    "a new file name; the history key it seals with is in a keyring, and the sweep has none" },
  { "export argument 1", ANY_TEXT, 0, "a new file name: the export is written there" },
  { "secrets export-key argument 1", ANY_TEXT, 4, "a new file name; the sweep has no keyring holding the key" },
  { "bond --face", K (KIND_INT_MAX), 0, "a face of 2³¹ − 1 is within the 10¹⁵ allowed" },
};

static const Allowance *
find_allowance (const char *what,
                ValueKind   kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (allowances); i++)
    {
      const char *pattern = allowances[i].what;
      gboolean match = g_str_has_prefix (pattern, "* ") ? g_str_has_suffix (what, pattern + 1)
                                                        : g_str_equal (what, pattern);

      if (match && (allowances[i].kinds & K (kind)))
        return &allowances[i];
    }

  return NULL;
}

typedef struct
{
  int       status;     /* exit status, or -signal */
  gboolean  timed_out;
  double    seconds;
  GBytes   *out;
  GBytes   *err;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->out, g_bytes_unref);
  g_clear_pointer (&o->err, g_bytes_unref);
}

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Each run gets a fresh database copied from a seeded one, so one run's rename or delete does
 * not change what the next one meets. */
static void
run_cli (const char * const *args,
         Outcome            *o)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) empty_stdin = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *seeded = g_build_filename (work_dir, "seeded.db", NULL);
  g_autofree char *db = g_build_filename (work_dir, "run.db", NULL);
  g_autofree char *missing = g_build_filename (work_dir, "missing", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean fired = FALSE;
  gint64 start;
  guint timer;

  /* no fsync: the copy only has to outlive the run */
  if (g_file_get_contents (seeded, &contents, &length, NULL))
    g_assert_true (g_file_set_contents_full (db, contents, length, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, work_dir);
  g_subprocess_launcher_setenv (launcher, "HOME", work_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", work_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", work_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", work_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_DATABASE", db, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_CONFIG_FILE", missing, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SHARED_CREDENTIALS_FILE", missing, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_REGION", "us-east-1", TRUE);
  /* nothing listens on port 9 of this computer: network commands fail fast, never leave it */
  g_subprocess_launcher_setenv (launcher, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_ENDPOINT_URL_BEDROCK", "http://127.0.0.1:9", TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_ECB_BASE_URL", "http://127.0.0.1:9", TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_FRED_BASE_URL", "http://127.0.0.1:9", TRUE);
  g_subprocess_launcher_setenv (launcher, "SEXTANT_TREASURY_BASE_URL", "http://127.0.0.1:9", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "SEXTANT_FRED_KEY");
  g_subprocess_launcher_setenv (launcher, "SEXTANT_BEDROCK_RETRY_BASE_DELAY_MS", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "SEXTANT_PROVIDERS");
  g_subprocess_launcher_unsetenv (launcher, "AWS_ACCESS_KEY_ID");
  g_subprocess_launcher_unsetenv (launcher, "AWS_SECRET_ACCESS_KEY");
  g_subprocess_launcher_unsetenv (launcher, "AWS_SESSION_TOKEN");
  g_subprocess_launcher_unsetenv (launcher, "AWS_BEARER_TOKEN_BEDROCK");
  g_subprocess_launcher_unsetenv (launcher, "AWS_PROFILE");
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "https_proxy");

  g_ptr_array_add (argv, (gpointer) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* an empty stdin: `secrets set` and the like read it and must not wait for a terminal */
  g_subprocess_communicate_async (process, empty_stdin, NULL, communicated_cb, &result);
  timer = g_timeout_add_seconds (RUN_SECONDS, timeout_cb, &fired);
  while (result == NULL && !fired)
    g_main_context_iteration (NULL, TRUE);
  if (result == NULL)
    {
      o->timed_out = TRUE;
      g_subprocess_force_exit (process);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    g_source_remove (timer);
  o->seconds = (g_get_monotonic_time () - start) / 1e6;
  g_subprocess_communicate_finish (process, result, &o->out, &o->err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (process))
    o->status = g_subprocess_get_exit_status (process);
  else
    o->status = -g_subprocess_get_term_sig (process);
}

static char *
bytes_text (GBytes *bytes)
{
  gsize n = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &n) : NULL;

  return data != NULL ? g_utf8_make_valid (data, n) : g_strdup ("");
}

/* NaN or infinity printed as a figure; the value given, echoed back as a name, does not count. */
static gboolean
mentions_nan (const char *text,
              const char *given)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *lower_given = g_ascii_strdown (given, -1);
  g_autoptr(GRegex) regex = g_regex_new ("(^|[^a-z])(nan|-?inf|infinity)([^a-z]|$)", 0, 0, NULL);
  g_auto(GStrv) pieces = *lower_given != '\0' ? g_strsplit (lower, lower_given, -1) : NULL;
  g_autofree char *rest = pieces != NULL ? g_strjoinv (" ", pieces) : g_strdup (lower);

  return g_regex_match (regex, rest, 0, NULL);
}

/* The verdict on one run, or NULL when it behaved. */
static char *
judge (const Outcome *o,
       const char    *what,
       const Hostile *h)
{
  ValueKind kind = h->kind;
  const Allowance *allowance = find_allowance (what, kind);
  g_autofree char *out = bytes_text (o->out);
  g_autofree char *err = bytes_text (o->err);
  gsize out_len = o->out != NULL ? g_bytes_get_size (o->out) : 0;

  if (o->timed_out)
    return g_strdup_printf ("still running after %d s", RUN_SECONDS);
  if (o->status < 0)
    return g_strdup_printf ("killed by signal %d (%s); stderr: %s", -o->status,
                            g_strsignal (-o->status), err);
  if (o->seconds > RUN_SECONDS)
    return g_strdup_printf ("took %.1f s", o->seconds);
  if (strstr (err, "CRITICAL") != NULL)
    return g_strdup_printf ("printed a CRITICAL: %s", err);
  if (strstr (err, "unknown error") != NULL || strstr (err, "internal error") != NULL)
    return g_strdup_printf ("said “unknown error” (exit %d)", o->status);
  if (o->status == 2 || o->status == 3)
    {
      /* a specific message: the command's name and something after it */
      if (strstr (err, "sextant-cli") == NULL || strlen (g_strstrip (err)) < 20)
        return g_strdup_printf ("exit %d without a specific message: “%s”", o->status, err);
      return NULL;
    }
  if (allowance != NULL && o->status == allowance->status && o->status != 0)
    return strstr (err, "sextant-cli") != NULL ? NULL
           : g_strdup_printf ("exit %d without a message", o->status);
  if (allowance != NULL && o->status == 0)
    {
      /* a valid value after all (see allowances); the output must still be sane */
      if (out_len == 0)
        return g_strdup ("exit 0 with nothing on stdout");
      if (mentions_nan (out, h->value))
        return g_strdup_printf ("exit 0 with NaN or infinity in the output: %.300s", out);
      return NULL;
    }

  return g_strdup_printf ("exit %d (expected 2 or 3); stdout: %.200s; stderr: %.300s", o->status,
                          out, err);
}

/* ----- what --help says ------------------------------------------------------------------ */

static char *
help_of (const char * const *args)
{
  Outcome o = { 0 };
  char *text;

  run_cli (args, &o);
  g_assert_cmpint (o.status, ==, 0);
  text = bytes_text (o.out);
  outcome_clear (&o);

  return text;
}

static GStrv
list_commands (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *help = help_of (args);
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  gboolean in_list = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Commands:"))
        in_list = TRUE;
      else if (in_list && lines[i][0] == '\0')
        break;
      else if (in_list && g_str_has_prefix (lines[i], "  "))
        {
          g_auto(GStrv) words = g_strsplit (g_strchug (lines[i]), " ", 2);

          g_strv_builder_add (names, words[0]);
        }
    }

  return g_strv_builder_end (names);
}

/* The options that take a value: `--name=VALUE` or `-n, --name=VALUE` in the help text. */
static GStrv
list_value_options (const char *help)
{
  g_autoptr(GRegex) regex = g_regex_new ("^\\s+(?:-\\w, )?(--[a-z][a-z0-9-]*)=", G_REGEX_MULTILINE,
                                         0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_regex_match (regex, help, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);

      g_strv_builder_add (names, name);
      g_match_info_next (match, NULL);
    }

  return g_strv_builder_end (names);
}

/* `--bbands=N,K`: a placeholder with “,”, “=” or “:”. */
static gboolean
takes_several_numbers (const char *help,
                       const char *option)
{
  g_autofree char *pattern = g_strdup_printf ("^\\s+(?:-\\w, )?%s=[^ ]*[,=:…]", option);

  return g_regex_match_simple (pattern, help, G_REGEX_MULTILINE, 0);
}

/* Actions of a command with sub-commands, each with its placeholders (“show ID”): the
 * "Actions:" section (portfolio), or the alternatives of the usage line (conversations:
 * `list | show ID | …`; secrets: `status|set KEY|clear KEY — …`). */
static GStrv
list_actions (const char *help)
{
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_autoptr(GStrvBuilder) actions = g_strv_builder_new ();
  gboolean in_section = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *usage = strstr (lines[i], "[OPTION…] ");

      if (usage != NULL && strchr (usage, '|') != NULL)
        {
          g_autofree char *tail = g_strdup (usage + strlen ("[OPTION…] "));
          char *dash = strstr (tail, " — ");
          g_auto(GStrv) parts = NULL;

          if (dash != NULL)
            *dash = '\0';
          parts = g_strsplit (tail, "|", -1);
          for (guint j = 0; parts[j] != NULL; j++)
            {
              char *spec = g_strstrip (parts[j]);

              if (g_ascii_islower (spec[0]))
                g_strv_builder_add (actions, spec);
            }
        }
      if (g_str_has_prefix (lines[i], "Actions:"))
        in_section = TRUE;
      else if (in_section && lines[i][0] == '\0')
        in_section = FALSE;
      else if (in_section && g_str_has_prefix (lines[i], "  "))
        g_strv_builder_add (actions, g_strchug (lines[i]));
    }

  return g_strv_builder_end (actions);
}

/* “rename ID TITLE [--x]” → “rename”, 2 */
static char *
action_name (const char *spec,
             guint      *n_positionals)
{
  g_auto(GStrv) words = g_strsplit (spec, " ", -1);

  *n_positionals = 0;
  for (guint i = 1; words[i] != NULL && g_regex_match_simple ("^[A-Z][A-Z_]*…?$", words[i], 0, 0); i++)
    (*n_positionals)++;

  return g_strdup (words[0]);
}

/* The placeholders after the options in the usage line: `QUESTION`, `SYMBOL…`, `FILE`. */
static guint
count_positionals (const char *help)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\[OPTION…\\]((?: [A-Z][A-Z_]*…?)+)\\s*(?:—|$)",
                                         G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *list = NULL;
  g_auto(GStrv) words = NULL;

  if (!g_regex_match (regex, help, 0, &match))
    return 0;
  list = g_match_info_fetch (match, 1);
  words = g_strsplit (g_strstrip (list), " ", -1);

  return g_strv_length (words);
}

/* ----- the sweep ------------------------------------------------------------------------- */

static guint
count_words (const char *command)
{
  g_auto(GStrv) words = g_strsplit (command, " ", -1);

  return g_strv_length (words);
}

typedef struct
{
  GPtrArray *failures;
  guint      n_runs;
} Sweep;

static const Base *
find_base (const char *command)
{
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    if (g_str_equal (bases[i].command, command))
      return &bases[i];
  return NULL;
}

/* The base command line, files resolved: "portfolio show" → portfolio show NAME */
static GPtrArray *
base_args (const char *command)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit (command, " ", -1);
  const Base *base = find_base (command);

  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (words[i]));
  for (guint i = 0; base != NULL && base->args[i] != NULL; i++)
    {
      const char *arg = base->args[i];

      if (g_str_has_prefix (arg, "market/") || g_str_has_prefix (arg, "rates/"))
        g_ptr_array_add (args, sextant_test_reference_path (arg));
      else
        g_ptr_array_add (args, g_strdup (arg));
    }

  return args;
}

static char *
hostile_value (const Hostile *h)
{
  if (h->kind == KIND_FILE)
    return g_build_filename (work_dir, h->value, NULL);
  return g_strdup (h->value);
}

static void
run_one (Sweep         *sweep,
         GPtrArray     *args,
         const Hostile *h,
         const char    *what)
{
  g_autofree char *verdict = NULL;
  Outcome o = { 0 };

  g_ptr_array_add (args, NULL);
  run_cli ((const char * const *) args->pdata, &o);
  g_ptr_array_remove_index (args, args->len - 1);
  sweep->n_runs++;
  verdict = judge (&o, what, h);
  if (verdict != NULL)
    {
      g_autofree char *shown = g_strescape (h->value, NULL);

      g_ptr_array_add (sweep->failures,
                       g_strdup_printf ("%s = “%s”: %s", what, shown, verdict));
    }
  outcome_clear (&o);
}

/* The base itself succeeds with output that is not NaN, or fails for the sweep's environment
 * (no credentials, no network) with a message: otherwise its options are not really swept. */
static void
check_base (Sweep      *sweep,
            const char *command)
{
  g_autoptr(GPtrArray) args = base_args (command);
  g_autofree char *out = NULL, *err = NULL;
  Outcome o = { 0 };

  g_ptr_array_add (args, NULL);
  run_cli ((const char * const *) args->pdata, &o);
  sweep->n_runs++;
  out = bytes_text (o.out);
  err = bytes_text (o.err);
  if (o.timed_out || o.status < 0 || strstr (err, "CRITICAL") != NULL ||
      (o.status == 0 && (*out == '\0' || mentions_nan (out, "\x01"))) ||
      (o.status != 0 && !((o.status == 4 || o.status == 7) && strstr (err, "sextant-cli") != NULL)))
    g_ptr_array_add (sweep->failures,
                     g_strdup_printf ("%s (the valid base): exit %d; stdout: %.200s; stderr: %.300s",
                                      command, o.status, out, err));
  outcome_clear (&o);
}

static gboolean
has_example (const char *command,
             const char *option)
{
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    if (g_str_equal (examples[i].command, command) && g_str_equal (examples[i].option, option))
      return TRUE;
  return FALSE;
}

/* Each number of each example replaced by each hostile number. */
static void
sweep_examples (Sweep      *sweep,
                const char *command)
{
  g_autoptr(GRegex) number = g_regex_new ("-?[0-9]+(\\.[0-9]+)?", 0, 0, NULL);

  for (guint e = 0; e < G_N_ELEMENTS (examples); e++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_equal (examples[e].command, command))
        continue;
      g_regex_match (number, examples[e].example, 0, &match);
      while (g_match_info_matches (match))
        {
          int start, end;

          g_match_info_fetch_pos (match, 0, &start, &end);
          for (guint v = 0; v < G_N_ELEMENTS (hostile_numbers); v++)
            {
              g_autoptr(GPtrArray) args = base_args (command);
              g_autofree char *what = g_strdup_printf ("%s %s", command, examples[e].option);
              g_autofree char *value = g_strdup_printf ("%.*s%s%s", start, examples[e].example,
                                                        hostile_numbers[v],
                                                        examples[e].example + end);
              /* judged as a huge number: no allowance, exit 2 or 3 only */
              Hostile h = { KIND_HUGE, value };

              for (guint x = 0; examples[e].extra[x] != NULL; x++)
                g_ptr_array_add (args, g_strdup (examples[e].extra[x]));
              g_ptr_array_add (args, g_strdup (examples[e].option));
              g_ptr_array_add (args, g_strdup (value));
              run_one (sweep, args, &h, what);
            }
          g_match_info_next (match, NULL);
        }
    }
}

/* An option given twice keeps the last value, so the hostile one is appended to the base. */
static void
sweep_option (Sweep      *sweep,
              const char *command,
              const char *option)
{
  for (guint v = 0; v < G_N_ELEMENTS (hostile); v++)
    {
      g_autoptr(GPtrArray) args = base_args (command);
      g_autofree char *what = g_strdup_printf ("%s %s", command, option);

      g_ptr_array_add (args, g_strdup (option));
      g_ptr_array_add (args, hostile_value (&hostile[v]));
      run_one (sweep, args, &hostile[v], what);
    }
}

/* Positional arguments: each of the first @n replaced by each hostile value (or added, when the
 * base has none). */
static void
sweep_positionals (Sweep      *sweep,
                   const char *command,
                   guint       n)
{
  const Base *base = find_base (command);
  guint n_words = count_words (command);

  for (guint slot = 0; slot < n; slot++)
    for (guint v = 0; v < G_N_ELEMENTS (hostile); v++)
      {
        g_autoptr(GPtrArray) args = base_args (command);
        g_autofree char *what = g_strdup_printf ("%s argument %u", command, slot + 1);
        guint index = n_words + slot;
        guint positional = 0;

        /* the slot-th argument of the base that is not an option or an option's value */
        for (guint i = n_words; base != NULL && i < args->len; i++)
          {
            const char *arg = g_ptr_array_index (args, i);

            if (g_str_has_prefix (arg, "--"))
              {
                i++;
                continue;
              }
            if (positional++ == slot)
              {
                index = i;
                break;
              }
          }
        if (index < args->len && positional == slot + 1)
          {
            g_free (g_ptr_array_index (args, index));
            g_ptr_array_index (args, index) = hostile_value (&hostile[v]);
          }
        else
          {
            /* a base without this slot: valid-looking fillers for the ones before it */
            while (args->len < n_words + slot)
              g_ptr_array_add (args, g_strdup ("1"));
            g_ptr_array_insert (args, n_words + slot, hostile_value (&hostile[v]));
          }
        run_one (sweep, args, &hostile[v], what);
      }
}

static void
sweep_command (Sweep      *sweep,
               const char *command,
               guint       n_spec_positionals)
{
  g_autoptr(GPtrArray) help_args = base_args (command);
  g_autofree char *help = NULL;
  g_auto(GStrv) options = NULL;

  g_ptr_array_set_size (help_args, count_words (command));
  g_ptr_array_add (help_args, g_strdup ("--help"));
  g_ptr_array_add (help_args, NULL);
  help = help_of ((const char * const *) help_args->pdata);
  if (find_base (command) != NULL)
    check_base (sweep, command);
  options = list_value_options (help);
  for (guint i = 0; options[i] != NULL; i++)
    {
      sweep_option (sweep, command, options[i]);
      if (takes_several_numbers (help, options[i]) && !has_example (command, options[i]))
        g_ptr_array_add (sweep->failures,
                         g_strdup_printf ("%s %s takes several values but has no example in "
                                          "tests/test-cli-sweep.c", command, options[i]));
    }
  sweep_examples (sweep, command);
  sweep_positionals (sweep, command, MAX (count_positionals (help), n_spec_positionals));
}

static void
write_fixtures (void)
{
  g_autofree char *empty = g_build_filename (work_dir, "empty.csv", NULL);
  g_autofree char *binary = g_build_filename (work_dir, "binary.csv", NULL);
  g_autofree char *folder = g_build_filename (work_dir, "folder", NULL);
  static const char bytes[] = "date,cl\xffse\n2024-01-0\x00\x01,\xfe\xff\n\x80\x81\n";

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (binary, bytes, sizeof bytes - 1, NULL));
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
}

static void
test_every_subcommand (void)
{
  g_auto(GStrv) commands = NULL;
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  Sweep sweep = { failures, 0 };
  const char *seed_args[] = { "portfolio", "list", NULL };
  /* conversation 1, and 2 deleted, for `conversations ACTION ID` */
  const char *seed_more[][5] = {
    { "ask", "--tools", "RSI of MSFT", NULL },
    { "ask", "--tools", "RSI of IBM", NULL },
    { "conversations", "delete", "2", NULL },
  };
  g_autofree char *seeded = g_build_filename (work_dir, "seeded.db", NULL);
  g_autofree char *db = g_build_filename (work_dir, "run.db", NULL);
  Outcome seeding = { 0 };

  write_fixtures ();
  /* one run seeds the demo data; every later run starts from a copy of that database */
  run_cli (seed_args, &seeding);
  g_assert_cmpint (seeding.status, ==, 0);
  outcome_clear (&seeding);
  /* and a stored conversation (offline analyst: no credentials here) for conversations ID */
  for (guint i = 0; i < G_N_ELEMENTS (seed_more); i++)
    {
      run_cli ((const char * const *) seed_more[i], &seeding);
      g_assert_cmpint (seeding.status, ==, 0);
      outcome_clear (&seeding);
    }
  g_assert_cmpint (g_rename (db, seeded), ==, 0);

  commands = list_commands ();
  g_assert_cmpuint (g_strv_length (commands), >=, 15);
  for (guint c = 0; commands[c] != NULL; c++)
    {
      const char *help_args[] = { commands[c], "--help", NULL };
      g_autofree char *help = help_of (help_args);
      g_auto(GStrv) actions = list_actions (help);

      if (actions[0] == NULL)
        {
          sweep_command (&sweep, commands[c], 0);
          continue;
        }
      for (guint a = 0; actions[a] != NULL; a++)
        {
          guint n_positionals;
          g_autofree char *name = action_name (actions[a], &n_positionals);
          g_autofree char *full = g_strdup_printf ("%s %s", commands[c], name);

          sweep_command (&sweep, full, n_positionals);
        }
    }

  g_test_message ("%u runs, %u failures", sweep.n_runs, failures->len);
  for (guint i = 0; i < failures->len; i++)
    g_test_message ("FAIL %s", (const char *) g_ptr_array_index (failures, i));
  g_assert_cmpuint (sweep.n_runs, >, 500);
  g_assert_cmpuint (failures->len, ==, 0);
}

static gboolean
has_action (GStrv       specs,
            const char *name,
            guint       n_positionals)
{
  for (guint i = 0; specs[i] != NULL; i++)
    {
      guint n;
      g_autofree char *found = action_name (specs[i], &n);

      if (g_str_equal (found, name) && n == n_positionals)
        return TRUE;
    }

  return FALSE;
}

/* The sweep's own parsing of --help, so that a change of the help format that hides commands
 * from it fails here instead of silently sweeping less. */
static void
test_help_parsing (void)
{
  g_auto(GStrv) commands = list_commands ();
  const char *portfolio_help[] = { "portfolio", "--help", NULL };
  const char *conversations_help[] = { "conversations", "--help", NULL };
  const char *risk_help[] = { "risk", "--help", NULL };
  const char *quote_help[] = { "quote", "--help", NULL };
  g_autofree char *portfolio = help_of (portfolio_help);
  g_autofree char *conversations = help_of (conversations_help);
  g_autofree char *risk = help_of (risk_help);
  g_autofree char *quote = help_of (quote_help);
  g_auto(GStrv) portfolio_actions = list_actions (portfolio);
  g_auto(GStrv) conversation_actions = list_actions (conversations);
  g_auto(GStrv) risk_options = list_value_options (risk);

  g_assert_true (g_strv_contains ((const char * const *) commands, "risk"));
  g_assert_true (g_strv_contains ((const char * const *) commands, "conversations"));
  g_assert_true (has_action (portfolio_actions, "add", 2));
  g_assert_true (has_action (conversation_actions, "export", 1));
  g_assert_true (has_action (conversation_actions, "rename", 2));
  g_assert_true (g_strv_contains ((const char * const *) risk_options, "--simulations"));
  g_assert_true (g_strv_contains ((const char * const *) risk_options, "--periods-per-year"));
  g_assert_cmpuint (count_positionals (quote), ==, 1);
  g_assert_cmpuint (count_positionals (risk), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];
  work_dir = sextant_test_make_temp_dir ();

  g_test_add_func ("/cli-sweep/help-parsing", test_help_parsing);
  g_test_add_func ("/cli-sweep/every-subcommand", test_every_subcommand);

  status = g_test_run ();
  sextant_test_remove_temp_dir (work_dir);
  g_free (work_dir);

  return status;
}
