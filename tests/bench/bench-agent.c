#define G_LOG_DOMAIN "bench-agent"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sextant-core.h"

/* Chat history at scale, in a temporary database:
 * - FTS5 search over 100,000 messages (target ≤ 20 ms), against a plain full scan with LIKE of
 *   the same words in the same run;
 * - loading a 10,000-message conversation into SextantStoredMessage structs (and building its
 *   Bedrock context), against a raw SELECT stepping over the same rows.
 * - storing a 1 MB streamed answer, against the same insert without the full-text index. It is
 *   too long for the main loop, so the agent stores answers in a thread
 *   (sextant_conversation_store_append_async()); bench-chat-stream measures the window's main
 *   loop while that happens.
 * Messages have 20 to 60 words with a fixed seed: 70% from 60 common finance and English words,
 * 30% from 20,000 rarer terms (`term123`), roughly how real text mixes a few frequent words
 * with many rare ones. Two queries are timed: a selective one (a common and a rare word, about
 * 30 hits) and a broad one (one common word in a third of the messages, of which the store ranks
 * the newest 5,000; a second baseline ranks all of them by BM25). Medians of repeated runs.
 * Then the history is encrypted at rest in place (issue 19; target <= 10 s for the 100,000
 * messages), against rewriting the same rows and index in clear and vacuuming, and search and
 * load are timed again on the sealed rows. */

#define N_MESSAGES 100000
#define N_CONVERSATIONS 10
#define N_RUNS 15
#define N_RARE 20000

static const char * const vocabulary[] = {
  "portfolio", "risk", "volatility", "drawdown", "rebalance", "optimise", "variance", "sharpe",
  "return", "benchmark", "allocation", "equity", "bond", "hedge", "exposure", "liquidity", "var",
  "shortfall", "scenario", "forecast", "trend", "momentum", "rsi", "macd", "sector", "weight",
  "committee", "quarter", "stress", "correlation", "beta", "alpha", "tracking", "error", "price",
  "close", "dividend", "yield", "duration", "credit", "the", "of", "and", "to", "in", "is", "for",
  "with", "on", "by", "msft", "ibm", "intc", "ko", "xom", "ge", "jpm", "wmt", "pg", "jnj",
};

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), compare_doubles);

  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One transaction of raw INSERTs (the triggers keep the FTS index): set-up, not measured. */
static void
fill (SextantStore *store)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) content = g_string_new (NULL);
  guint per_conversation[N_CONVERSATIONS] = { 0, };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sextant_store_begin (store, &error));
  for (guint c = 0; c < N_CONVERSATIONS; c++)
    g_assert_true (sextant_store_exec (store, "INSERT INTO conversations (title, role, created_at, updated_at) "
                                       "VALUES ('bench', 'analyst', 0, 0)", &error));
  stmt = sextant_store_prepare (store, "INSERT INTO messages (conversation_id, role, content, text, created_at) "
                                "VALUES (?, ?, ?, ?, ?)", &error);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      guint n_words = 20 + g_rand_int_range (rand, 0, 41);
      guint c = i % N_CONVERSATIONS;

      g_string_truncate (text, 0);
      for (guint w = 0; w < n_words; w++)
        {
          if (w > 0)
            g_string_append_c (text, ' ');
          if (g_rand_double (rand) < 0.7)
            g_string_append (text, vocabulary[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocabulary))]);
          else
            g_string_append_printf (text, "term%d", g_rand_int_range (rand, 0, N_RARE));
        }
      /* Plain words only: no JSON escaping needed. */
      g_string_printf (content, "[{\"text\":\"%s\"}]", text->str);
      sqlite3_bind_int64 (stmt, 1, 1 + c);
      sqlite3_bind_text (stmt, 2, per_conversation[c]++ % 2 ? "assistant" : "user", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, content->str, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, text->str, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, i);
      g_assert_true (sextant_store_step_done (store, stmt, &error));
    }
  g_assert_true (sextant_store_commit (store, &error));
}

static double
time_search (SextantConversationStore *conversations,
             const char               *query,
             guint                    *n_hits)
{
  double t[N_RUNS];

  for (guint r = 0; r < N_RUNS; r++)
    {
      double t0 = now_ms ();
      g_autoptr(GPtrArray) hits = sextant_conversation_store_search (conversations, query, 20, NULL);

      t[r] = now_ms () - t0;
      *n_hits = hits->len;
    }

  return median (t, N_RUNS);
}

/* The baseline reads every message: count(*) cannot stop early as ORDER BY id LIMIT could. */
static double
time_like (SextantStore *store,
           const char   *where,
           gint64       *n_rows)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                                          "WHERE c.deleted_at IS NULL AND %s", where);
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, sql, NULL);
  double t[N_RUNS];

  for (guint r = 0; r < N_RUNS; r++)
    {
      double t0 = now_ms ();

      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      *n_rows = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      t[r] = now_ms () - t0;
    }

  return median (t, N_RUNS);
}

/* The store's search without its window of newest matches: BM25 over every one. */
static double
time_rank_all (SextantStore *store,
               const char   *word)
{
  g_autoptr(sqlite3_stmt) stmt = sextant_store_prepare (store, "SELECT m.conversation_id, m.id, c.title, "
                                                        "snippet(messages_fts, 0, '**', '**', '…', 12) "
                                                        "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
                                                        "JOIN conversations c ON c.id = m.conversation_id "
                                                        "WHERE messages_fts MATCH ? AND c.deleted_at IS NULL "
                                                        "ORDER BY rank LIMIT 20", NULL);
  double t[N_RUNS];

  sqlite3_bind_text (stmt, 1, word, -1, SQLITE_STATIC);
  for (guint r = 0; r < N_RUNS; r++)
    {
      double t0 = now_ms ();

      while (sqlite3_step (stmt) == SQLITE_ROW)
        ;
      sqlite3_reset (stmt);
      t[r] = now_ms () - t0;
    }

  return median (t, N_RUNS);
}

static void
bench_search (SextantStore             *store,
              SextantConversationStore *conversations)
{
  guint n_hits;
  gint64 n_rows;
  double fts, like, all;

  fts = time_search (conversations, "drawdown term1234", &n_hits);
  like = time_like (store, "m.text LIKE '%drawdown%' AND m.text LIKE '%term1234 %'", &n_rows);
  printf ("FTS5 search “drawdown term1234”, top 20 of %d messages: %.2f ms (median of %d; target <= 20 ms), "
          "%u hits shown\n", N_MESSAGES, fts, N_RUNS, n_hits);
  printf ("  baseline: full scan with LIKE of the same words: %.2f ms (%" G_GINT64_FORMAT " rows); "
          "FTS/LIKE ratio %.3f\n", like, n_rows, fts / like);
  fts = time_search (conversations, "committee", &n_hits);
  like = time_like (store, "m.text LIKE '%committee%'", &n_rows);
  printf ("FTS5 search “committee” (a word in a third of the messages, the newest 5,000 matches ranked): "
          "%.2f ms (target <= 20 ms), %u hits shown\n", fts, n_hits);
  printf ("  baseline: full scan with LIKE: %.2f ms (%" G_GINT64_FORMAT " rows); FTS/LIKE ratio %.3f\n",
          like, n_rows, fts / like);
  all = time_rank_all (store, "committee");
  printf ("  baseline: every match ranked by BM25: %.2f ms; ratio %.3f\n", all, fts / all);
}

static void
bench_load (SextantStore             *store,
            SextantConversationStore *conversations)
{
  g_autoptr(sqlite3_stmt) raw = sextant_store_prepare (store, "SELECT id, conversation_id, role, content, text, state, "
                                                       "input_tokens, output_tokens, created_at FROM messages "
                                                       "WHERE conversation_id = 1 ORDER BY id", NULL);
  double load[N_RUNS], select[N_RUNS], context[N_RUNS];
  guint n = 0, n_context = 0;

  for (guint r = 0; r < N_RUNS; r++)
    {
      double t0 = now_ms ();
      g_autoptr(GPtrArray) messages = sextant_conversation_store_load_messages (conversations, 1, NULL);
      g_autoptr(GPtrArray) ctx = NULL;
      gsize bytes = 0;

      load[r] = now_ms () - t0;
      n = messages->len;
      t0 = now_ms ();
      ctx = sextant_conversation_build_context (messages, SEXTANT_AGENT_DEFAULT_TOKEN_BUDGET);
      context[r] = now_ms () - t0;
      n_context = ctx->len;
      t0 = now_ms ();
      while (sqlite3_step (raw) == SQLITE_ROW)
        bytes += sqlite3_column_bytes (raw, 3) + sqlite3_column_bytes (raw, 4);
      sqlite3_reset (raw);
      select[r] = now_ms () - t0;
      g_assert_cmpuint (bytes, >, 0);
    }
  printf ("Load a %u-message conversation: %.2f ms (median of %d)\n", n, median (load, N_RUNS), N_RUNS);
  printf ("  baseline: raw SELECT of the same rows and columns: %.2f ms; ratio %.2f\n",
          median (select, N_RUNS), median (load, N_RUNS) / median (select, N_RUNS));
  printf ("Build its Bedrock context (budget %d tokens, %u turns sent): %.2f ms\n",
          SEXTANT_AGENT_DEFAULT_TOKEN_BUDGET, n_context, median (context, N_RUNS));
}

static char *
big_answer (void)
{
  GString *text = g_string_new (NULL);

  while (text->len < 1024 * 1024)
    g_string_append (text, "The minimum-variance portfolio holds 43% MSFT and 57% IBM; its 95% VaR is 1.7%.\n");

  return g_string_free (text, FALSE);
}

/* The work of storing a streamed answer, FTS included (done in a thread by the agent).
 * Baseline: the same row into a table without the full-text index. */
static void
bench_store_answer (SextantStore             *store,
                    SextantConversationStore *conversations)
{
  g_autofree char *answer = big_answer ();
  g_autoptr(SextantConverseMessage) message = sextant_converse_message_new ("assistant");
  g_autoptr(sqlite3_stmt) plain = NULL;
  gint64 id = sextant_conversation_store_create (conversations, "stream", SEXTANT_ROLE_ANALYST, NULL, NULL);
  double store_t[5], plain_t[5];

  sextant_converse_message_add_text (message, answer);
  g_assert_true (sextant_store_exec (store, "CREATE TEMP TABLE plain (content TEXT, text TEXT)", NULL));
  plain = sextant_store_prepare (store, "INSERT INTO plain VALUES (?, ?)", NULL);
  for (guint r = 0; r < G_N_ELEMENTS (store_t); r++)
    {
      g_autoptr(JsonNode) json = NULL;
      g_autofree char *content = NULL;
      double t0 = now_ms ();

      g_assert_cmpint (sextant_conversation_store_append (conversations, id, message, SEXTANT_MESSAGE_COMPLETE,
                                                          0, 0, NULL), >, 0);
      store_t[r] = now_ms () - t0;
      t0 = now_ms ();
      json = sextant_converse_message_to_json (message);
      content = json_to_string (json, FALSE);
      sqlite3_bind_text (plain, 1, content, -1, SQLITE_STATIC);
      sqlite3_bind_text (plain, 2, answer, -1, SQLITE_STATIC);
      g_assert_true (sextant_store_step_done (store, plain, NULL));
      plain_t[r] = now_ms () - t0;
    }
  printf ("Store a %.1f MB streamed answer (JSON, insert, FTS index): %.1f ms, in a thread (median of %u)\n",
          strlen (answer) / 1e6, median (store_t, G_N_ELEMENTS (store_t)), (guint) G_N_ELEMENTS (store_t));
  printf ("  baseline: the same row into a table without FTS: %.1f ms; ratio %.2f\n",
          median (plain_t, G_N_ELEMENTS (plain_t)),
          median (store_t, G_N_ELEMENTS (store_t)) / median (plain_t, G_N_ELEMENTS (plain_t)));
}

/* What the migration writes without its cryptography: every message and its index entry written
 * once more (a copy of the table and an FTS5 index of its text), the copies dropped and the file
 * vacuumed, as the migration vacuums it at the end. */
static double
rewrite_baseline_ms (SextantStore *store)
{
  g_autoptr(GError) error = NULL;
  double t0 = now_ms ();

  g_assert_true (sextant_store_exec (store, "BEGIN;"
                                     "CREATE TABLE bench_copy (id INTEGER PRIMARY KEY, content, text);"
                                     "INSERT INTO bench_copy SELECT id, content, text FROM messages;"
                                     "CREATE VIRTUAL TABLE bench_copy_fts USING fts5 (text);"
                                     "INSERT INTO bench_copy_fts (rowid, text) SELECT id, text FROM messages;"
                                     "COMMIT;"
                                     "DROP TABLE bench_copy;"
                                     "DROP TABLE bench_copy_fts;"
                                     "VACUUM;", &error));
  g_assert_no_error (error);

  return now_ms () - t0;
}

static void
count_batch_cb (gint64   done,
                gint64   total,
                gpointer user_data)
{
  (*(guint *) user_data)++;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-agent-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL), *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (path, &error);
  g_autoptr(SextantConversationStore) conversations = NULL;
  double t0;

  g_assert_no_error (error);
  conversations = sextant_conversation_store_new (store);
  t0 = now_ms ();
  fill (store);
  printf ("Set-up: %d messages in %d conversations inserted and indexed in %.0f ms\n",
          N_MESSAGES, N_CONVERSATIONS, now_ms () - t0);
  bench_search (store, conversations);
  bench_load (store, conversations);
  bench_store_answer (store, conversations);
  {
    g_autoptr(SextantStoreKey) key = sextant_store_key_new_random ();
    guint batches = 0;
    double baseline = rewrite_baseline_ms (store), encrypt;

    g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
    t0 = now_ms ();
    g_assert_true (sextant_store_encryption_migrate (store, 0, count_batch_cb, &batches, NULL, &error));
    encrypt = now_ms () - t0;
    g_assert_cmpint (sextant_store_encryption_count_clear (store, NULL), ==, 0);
    printf ("Encrypt the history in place (%d messages, %u progress reports, index merged, file vacuumed): "
            "%.0f ms (target <= 10 s)\n", N_MESSAGES, batches, encrypt);
    printf ("  baseline: every message and its index entry written once more, in clear, and the file "
            "vacuumed: %.0f ms; ratio %.2f\n", baseline, encrypt / baseline);
  }
  printf ("Sealed history:\n");
  bench_search (store, conversations);
  bench_load (store, conversations);

  g_clear_object (&conversations);
  g_clear_object (&store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);

  return 0;
}
