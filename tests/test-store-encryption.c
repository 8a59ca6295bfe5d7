#define G_LOG_DOMAIN "test-store-encryption"
#define _GNU_SOURCE /* memmem () */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Encryption at rest (issue 19): sealed values bound to their row, the search index of keyed
 * hashes giving the clear index's answers, a raw file and WAL without a known word, the in-place
 * migration surviving kill -9, and a history whose key is gone opened read-only, with the real
 * keyring in a private D-Bus session. */

#define TEST_HISTORY_KEY "c2V4dGFudC10ZXN0LWhpc3Rvcnkta2V5LTMyYnl0ZXM="
#define OTHER_HISTORY_KEY "c2V4dGFudC1vdGhlci1oaXN0b3J5LWtleS0zMmJ5dGU="

/* Words no file would hold by chance: none of them may be found in a sealed file. */
static const char * const secret_words[] = { "zanzibarish", "quixotically", "Brontosaurus", "Thistlewood" };

static char *self_path;

static SextantStoreKey *
test_key (const char *base64)
{
  g_autoptr(GError) error = NULL;
  SextantStoreKey *key = sextant_store_key_new_from_base64 (base64, &error);

  g_assert_no_error (error);

  return key;
}

static void
test_seal_open (void)
{
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantStoreKey) other = test_key (OTHER_HISTORY_KEY);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base64 = sextant_store_key_to_base64 (key);
  g_autofree char *check = sextant_store_key_dup_check (key);
  g_autofree char *other_check = sextant_store_key_dup_check (other);
  g_autofree guint8 *tampered = NULL;
  const char *text = "Sell 40% of the Thistlewood position";
  gsize len;

  g_assert_cmpstr (base64, ==, TEST_HISTORY_KEY);
  g_assert_cmpstr (check, !=, other_check);
  sealed = sextant_store_key_encrypt (key, "messages.text", 42, text, strlen (text));
  g_assert_true (sextant_store_key_is_sealed (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed)));
  g_assert_null (memmem (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), "Thistlewood", 11));
  opened = sextant_store_key_decrypt (key, "messages.text", 42, g_bytes_get_data (sealed, NULL),
                                      g_bytes_get_size (sealed), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_bytes_get_data (opened, NULL), ==, text);

  /* Moved to another row, another column, opened with another key, or changed: refused. */
  g_assert_null (sextant_store_key_decrypt (key, "messages.text", 43, g_bytes_get_data (sealed, NULL),
                                            g_bytes_get_size (sealed), &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_null (sextant_store_key_decrypt (key, "messages.content", 42, g_bytes_get_data (sealed, NULL),
                                            g_bytes_get_size (sealed), &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_null (sextant_store_key_decrypt (other, "messages.text", 42, g_bytes_get_data (sealed, NULL),
                                            g_bytes_get_size (sealed), &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  len = g_bytes_get_size (sealed);
  tampered = g_memdup2 (g_bytes_get_data (sealed, NULL), len);
  tampered[len - 20] ^= 1;
  g_assert_null (sextant_store_key_decrypt (key, "messages.text", 42, tampered, len, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  /* The same word hashes alike under one key, differently under another. */
  {
    g_autofree char *a = sextant_store_key_hash_token (key, "intc");
    g_autofree char *b = sextant_store_key_hash_token (key, "intc");
    g_autofree char *c = sextant_store_key_hash_token (other, "intc");

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (a, !=, c);
    g_assert_cmpuint (strlen (a), ==, 16);
  }
}

/* The words of a text as FTS5's own unicode61 tokenizer (remove_diacritics 2) gives them, read
 * back through fts5vocab: the reference the index of hashes must agree with. */
static GPtrArray *
fts5_words (sqlite3    *db,
            const char *text)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) select = NULL;
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM t", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO t (x) VALUES (?)", -1, &insert, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (insert, 1, text, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT term FROM v ORDER BY offset", -1, &select, NULL), ==, SQLITE_OK);
  while (sqlite3_step (select) == SQLITE_ROW)
    g_ptr_array_add (words, g_strdup ((const char *) sqlite3_column_text (select, 0)));

  return words;
}

static void
test_tokenize_as_fts5 (void)
{
  static const char * const texts[] = {
    "What is the minimum-variance mix of MSFT and INTC?",
    "Crème brûlée à São Paulo: 62% in EUR/CHF, Ørsted & Ångström",
    "MSFT's 3.5x P/E — “quoted” (parenthesised) don't_stop ΣΑΣ straße İstanbul",
    "日本株 and 中国 equities, naïve coöperation 12,345.67",
    "", "   ", "tab\tseparated\nlines",
  };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize='unicode61 remove_diacritics 2');"
                                 "CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance');", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) expected = fts5_words (db, texts[i]);
      g_autoptr(GArray) tokens = sextant_text_tokenize (texts[i]);

      if (expected->len != tokens->len)
        {
          for (guint k = 0; k < expected->len; k++)
            g_printerr ("fts5: %s\n", (char *) expected->pdata[k]);
          for (guint k = 0; k < tokens->len; k++)
            g_printerr ("ours: %s\n", g_array_index (tokens, SextantTextToken, k).folded);
        }
      g_assert_cmpuint (tokens->len, ==, expected->len);
      for (guint k = 0; k < tokens->len; k++)
        g_assert_cmpstr (g_array_index (tokens, SextantTextToken, k).folded, ==, expected->pdata[k]);
    }
  sqlite3_close (db);
}

static SextantConverseMessage *
text_message (const char *role,
              const char *text)
{
  SextantConverseMessage *m = sextant_converse_message_new (role);

  sextant_converse_message_add_text (m, text);

  return m;
}

static gint64
append (SextantConversationStore *conversations,
        gint64                    conversation,
        const char               *role,
        const char               *text)
{
  g_autoptr(SextantConverseMessage) m = text_message (role, text);
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_conversation_store_append (conversations, conversation, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error);

  g_assert_no_error (error);

  return id;
}

static char *
read_all (const char *path)
{
  char *bytes = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &bytes, &len, NULL))
    return g_strdup ("");
  /* Case-insensitive search over binary: lower-case ASCII in place. */
  for (gsize i = 0; i < len; i++)
    bytes[i] = g_ascii_tolower (bytes[i]);
  for (gsize i = 0; i < len; i++)
    if (bytes[i] == '\0')
      bytes[i] = ' ';

  return bytes;
}

static void
assert_no_secret_word (const char *db_path)
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  const char *paths[] = { db_path, wal_path };

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      g_autofree char *bytes = read_all (paths[p]);

      for (guint w = 0; w < G_N_ELEMENTS (secret_words); w++)
        {
          g_autofree char *word = g_ascii_strdown (secret_words[w], -1);

          if (strstr (bytes, word) != NULL)
            g_error ("“%s” is readable in %s", secret_words[w], paths[p]);
        }
    }
}

static void
assert_some_secret_word (const char *db_path)
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *db = read_all (db_path);
  g_autofree char *wal = read_all (wal_path);

  g_assert_true (strstr (db, "zanzibarish") != NULL || strstr (wal, "zanzibarish") != NULL);
}

static gint64
fill_history (SextantStore *store,
              guint         n_messages)
{
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (store);
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(GError) error = NULL;
  gint64 conversation = sextant_conversation_store_create (conversations, "Zanzibarish hedges", "analyst", NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u: trim the Thistlewood book quixotically, "
                                               "Brontosaurus fund %u", i, i % 7);

      append (conversations, conversation, i % 2 == 0 ? "user" : "assistant", text);
    }
  g_assert_cmpint (sextant_portfolio_store_save_result (portfolios, NULL, "optimize.min-variance",
                                                        "{\"client\":\"Thistlewood\"}", "{\"note\":\"zanzibarish\"}",
                                                        "{\"weights\":{\"Brontosaurus\":1}}", &error), >, 0);
  g_assert_no_error (error);

  return conversation;
}

static void
assert_history (SextantStore *store,
                gint64        conversation,
                guint         n_messages)
{
  g_autoptr(SextantConversationStore) conversations = sextant_conversation_store_new (store);
  g_autoptr(SextantPortfolioStore) portfolios = sextant_portfolio_store_new (store);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(SextantConversationInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = sextant_conversation_store_get (conversations, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->title, ==, "Zanzibarish hedges");
  messages = sextant_conversation_store_load_messages (conversations, conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, n_messages);
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u: trim the Thistlewood book quixotically, "
                                               "Brontosaurus fund %u", i, i % 7);
      SextantStoredMessage *m = messages->pdata[i];
      g_autoptr(SextantConverseMessage) converse = sextant_stored_message_to_converse (m);
      g_autofree char *from_blocks = sextant_converse_message_dup_text (converse);

      g_assert_cmpstr (m->text, ==, text);
      g_assert_cmpstr (from_blocks, ==, text);
    }
  hits = sextant_conversation_store_search (conversations, "quixotically fund", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, MIN (n_messages, 5));
  g_assert_nonnull (strstr (((SextantSearchHit *) hits->pdata[0])->snippet, "**quixotically**"));
  g_assert_cmpstr (((SextantSearchHit *) hits->pdata[0])->title, ==, "Zanzibarish hedges");
  results = sextant_portfolio_store_list_results (portfolios, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (((SextantSavedResult *) results->pdata[0])->parameters, ==, "{\"client\":\"Thistlewood\"}");
  g_assert_cmpstr (((SextantSavedResult *) results->pdata[0])->inputs, ==, "{\"note\":\"zanzibarish\"}");
  g_assert_cmpstr (((SextantSavedResult *) results->pdata[0])->result, ==, "{\"weights\":{\"Brontosaurus\":1}}");
}

/* A store given a key from its first day: nothing of its text is in the file or the WAL (read
 * while the connection is open, before any checkpoint), and it all reads back. */
static void
test_sealed_store (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 conversation;

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  conversation = fill_history (store, 50);
  assert_no_secret_word (path);
  assert_history (store, conversation, 50);
  g_clear_object (&store);
  assert_no_secret_word (path);

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  assert_history (store, conversation, 50);
  sextant_test_remove_temp_dir (dir);
}

/* Opened without its key, or with another one, a sealed history reads as what it is and refuses
 * every write, and its rows stay as they were. */
static void
test_read_only_without_key (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantStoreKey) other = test_key (OTHER_HISTORY_KEY);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *key_sets[] = { "none", "other" };
  gint64 conversation;

  store = sextant_schema_open (path, &error);
  sextant_store_encryption_attach (store, key, &error);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  conversation = fill_history (store, 3);
  g_clear_object (&store);

  for (guint k = 0; k < G_N_ELEMENTS (key_sets); k++)
    {
      g_autoptr(SextantConversationStore) conversations = NULL;
      g_autoptr(SextantPortfolioStore) portfolios = NULL;
      g_autoptr(SextantConversationInfo) info = NULL;
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(SextantConverseMessage) m = text_message ("user", "clear text beside sealed rows");
      SextantEncryptionState state;

      store = sextant_schema_open (path, &error);
      g_assert_no_error (error);
      state = sextant_store_encryption_attach (store, k == 0 ? NULL : other, &error);
      g_assert_cmpint (state, ==, k == 0 ? SEXTANT_ENCRYPTION_KEY_MISSING : SEXTANT_ENCRYPTION_WRONG_KEY);
      g_assert_true (sextant_encryption_state_is_read_only (state));
      g_assert_nonnull (strstr (sextant_encryption_state_describe (state), "read-only"));
      conversations = sextant_conversation_store_new (store);
      portfolios = sextant_portfolio_store_new (store);

      info = sextant_conversation_store_get (conversations, conversation, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (info->title, "key is not available"));
      messages = sextant_conversation_store_load_messages (conversations, conversation, &error);
      g_assert_cmpuint (messages->len, ==, 3);
      g_assert_nonnull (strstr (((SextantStoredMessage *) messages->pdata[0])->text, "key is not available"));

      g_assert_cmpint (sextant_conversation_store_append (conversations, conversation, m, SEXTANT_MESSAGE_COMPLETE,
                                                          0, 0, &error), ==, 0);
      g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
      g_assert_nonnull (strstr (error->message, "import-key"));
      g_clear_error (&error);
      g_assert_cmpint (sextant_conversation_store_create (conversations, "New", "analyst", NULL, &error), ==, 0);
      g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
      g_clear_error (&error);
      g_assert_false (sextant_conversation_store_rename (conversations, conversation, "Renamed", &error));
      g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
      g_clear_error (&error);
      g_assert_false (sextant_conversation_store_delete (conversations, conversation, &error));
      g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
      g_clear_error (&error);
      g_assert_cmpint (sextant_portfolio_store_save_result (portfolios, NULL, "optimize.min-variance", NULL, NULL,
                                                            "{}", &error), ==, -1);
      g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
      g_clear_error (&error);
      g_assert_false (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
      g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
      g_clear_error (&error);
      g_clear_object (&store);
    }

  /* Its own key opens all of it again, nothing changed. */
  store = sextant_schema_open (path, &error);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  assert_history (store, conversation, 3);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

static const char * const corpus_words[] = {
  "risk", "hedge", "volatility", "MSFT", "INTC", "IBM", "KO", "XOM", "drawdown", "Sharpe",
  "rebalance", "quarterly", "minimum", "variance", "weights", "committee", "client", "bond",
  "duration", "café", "Zürich", "naïve", "beta", "alpha", "tracking", "error", "VaR", "ES",
  "stress", "scenario", "the", "of", "and", "a", "to", "in", "euro", "dollar", "yen", "gold",
};

static char *
corpus_text (GRand *rand)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 3, 30);

  for (guint i = 0; i < n; i++)
    {
      g_string_append (text, corpus_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (corpus_words))]);
      g_string_append (text, g_rand_int_range (rand, 0, 8) == 0 ? ", " : " ");
    }

  return g_string_free (text, FALSE);
}

/* The same corpus in a clear store and a sealed one: every query finds the same messages in
 * the same order (BM25 over hashed words is BM25 over the words). */
static void
test_search_equals_clear (void)
{
  static const char * const queries[] = {
    "hedge", "MSFT", "msft intc", "cafe", "Café", "zurich", "naive beta", "gold duration",
    "the", "VaR ES", "\"stress\" OR NEAR(:", "client committee euro", "absent", "risk-hedge",
  };
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *clear_path = g_build_filename (dir, "clear.db", NULL);
  g_autofree char *sealed_path = g_build_filename (dir, "sealed.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantStore) clear = sextant_schema_open (clear_path, NULL);
  g_autoptr(SextantStore) sealed = sextant_schema_open (sealed_path, NULL);
  g_autoptr(SextantConversationStore) clear_conversations = sextant_conversation_store_new (clear);
  g_autoptr(SextantConversationStore) sealed_conversations = sextant_conversation_store_new (sealed);
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);
  g_autoptr(GError) error = NULL;
  gint64 a, b;

  sextant_store_encryption_attach (sealed, key, &error);
  g_assert_no_error (error);
  a = sextant_conversation_store_create (clear_conversations, "Corpus", "analyst", NULL, &error);
  b = sextant_conversation_store_create (sealed_conversations, "Corpus", "analyst", NULL, &error);
  g_assert_cmpint (a, ==, b);
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *text = corpus_text (rand);

      g_assert_cmpint (append (clear_conversations, a, "user", text), ==, append (sealed_conversations, b, "user", text));
    }
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) expected = sextant_conversation_store_search (clear_conversations, queries[q], 50, &error);
      g_autoptr(GPtrArray) found = sextant_conversation_store_search (sealed_conversations, queries[q], 50, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, expected->len);
      for (guint i = 0; i < found->len; i++)
        {
          SextantSearchHit *e = expected->pdata[i], *f = found->pdata[i];

          g_assert_cmpint (f->message_id, ==, e->message_id);
          g_assert_cmpstr (f->title, ==, e->title);
          g_assert_nonnull (strstr (f->snippet, "**"));
        }
    }
  {
    g_autoptr(GPtrArray) hedge = sextant_conversation_store_search (clear_conversations, "hedge", 50, &error);

    g_assert_cmpuint (hedge->len, ==, 50);
  }
  g_clear_object (&clear_conversations);
  g_clear_object (&sealed_conversations);
  g_clear_object (&clear);
  g_clear_object (&sealed);
  sextant_test_remove_temp_dir (dir);
}

/* The child of test_migration_killed: encrypts the history and is killed with SIGKILL a few
 * milliseconds after a third of it is done, wherever it is (inside a batch's transaction most
 * likely). */
static gpointer
kill_soon (gpointer data)
{
  g_usleep (g_random_int_range (0, 3000));
  kill (getpid (), SIGKILL);

  return NULL;
}

static void
killing_progress_cb (gint64   done,
                     gint64   total,
                     gpointer user_data)
{
  gboolean *started = user_data;

  if (!*started && done >= total / 3)
    {
      *started = TRUE;
      g_thread_unref (g_thread_new ("killer", kill_soon, NULL));
    }
}

static void
test_migration_killed_child (void)
{
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantStore) store = sextant_schema_open (g_getenv ("SEXTANT_TEST_DATABASE"), NULL);
  gboolean started = FALSE;

  g_assert_cmpint (sextant_store_encryption_attach (store, key, NULL), ==, SEXTANT_ENCRYPTION_MIGRATING);
  sextant_store_encryption_migrate (store, 20, killing_progress_cb, &started, NULL, NULL);
  g_usleep (10 * G_USEC_PER_SEC);
  g_error ("The migration was not killed");
}

static void
record_progress_cb (gint64   done,
                    gint64   total,
                    gpointer user_data)
{
  GArray *steps = user_data;

  g_assert_cmpint (done, <=, total);
  g_array_append_val (steps, done);
}

/* kill -9 during the migration of a clear history loses nothing: the next start finds every
 * row, clear or sealed, and finishes the work, after which no word is readable. */
static void
test_migration_killed (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  const guint n = 1500;
  gint64 conversation, left, results_left;

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sextant_store_encryption_attach (store, NULL, &error), ==, SEXTANT_ENCRYPTION_CLEAR);
  conversation = fill_history (store, n);
  g_clear_object (&store);
  assert_some_secret_word (path);

  g_setenv ("SEXTANT_TEST_DATABASE", path, TRUE);
  g_test_trap_subprocess ("/sextant/store-encryption/migration-killed/subprocess", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr_unmatched ("*was not killed*");

  store = sextant_schema_open (path, &error);
  g_assert_no_error (error);
  left = sextant_conversation_store_count_clear (store, &error);
  g_test_message ("%" G_GINT64_FORMAT " of %u rows still clear after the kill", left, n + 1);
  g_assert_cmpint (left, >, 0);
  g_assert_cmpint (left, <, n + 1);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_MIGRATING);
  /* Half-done, it reads whole: sealed rows opened, clear rows as they are. The saved result's
   * job and result rows come after the messages. */
  assert_history (store, conversation, n);
  results_left = sextant_portfolio_store_count_clear (store, &error);
  g_assert_cmpint (results_left, ==, 2);
  g_assert_true (sextant_store_encryption_migrate (store, 100, record_progress_cb, steps, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, >=, 2);
  g_assert_cmpint (g_array_index (steps, gint64, steps->len - 1), ==, left + results_left);
  g_assert_cmpint (sextant_conversation_store_count_clear (store, &error), ==, 0);
  g_assert_cmpint (sextant_portfolio_store_count_clear (store, &error), ==, 0);
  assert_history (store, conversation, n);
  g_clear_object (&store);
  assert_no_secret_word (path);

  store = sextant_schema_open (path, &error);
  g_assert_cmpint (sextant_store_encryption_attach (store, key, &error), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

/* No Secret Service at all (the bus disabled, in a child since libsecret keeps its first bus):
 * a clear history stays clear and usable, a sealed one says it has no keyring and is read-only. */
static void
test_no_keyring_child (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *clear_path = g_build_filename (dir, "clear.db", NULL);
  g_autofree char *sealed_path = g_build_filename (dir, "sealed.db", NULL);
  g_autoptr(SextantStoreKey) key = test_key (TEST_HISTORY_KEY);
  g_autoptr(SextantSecretStore) secrets = NULL;
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  SextantEncryptionState state;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  secrets = sextant_secret_store_new ();
  store = sextant_schema_open (sealed_path, &error);
  sextant_store_encryption_attach (store, key, &error);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  fill_history (store, 2);
  g_clear_object (&store);

  store = sextant_schema_open_unlocked (clear_path, secrets, TRUE, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_CLEAR);
  g_assert_true (sextant_store_check_writable (store, &error));
  g_clear_object (&store);

  store = sextant_schema_open_unlocked (sealed_path, secrets, TRUE, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_NO_KEYRING);
  g_assert_nonnull (strstr (sextant_encryption_state_describe (state), "no keyring"));
  g_assert_false (sextant_store_check_writable (store, &error));
  g_assert_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

static void
test_no_keyring (void)
{
  g_test_trap_subprocess ("/sextant/store-encryption/no-keyring/subprocess", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* In a private D-Bus session with its own gnome-keyring (see test_keyring): the key is made
 * and kept in the keyring on first use, a clear history is sealed with it, and once the key is
 * gone the history opens read-only, with no new key made over it. */
static void
test_keyring_child (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *after = NULL;
  SextantEncryptionState state;
  gint64 conversation;

  sextant_test_wait_for_keyring (secrets);
  g_assert_null (sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error));
  g_assert_no_error (error);
  store = sextant_schema_open (path, &error);
  conversation = fill_history (store, 20);
  g_clear_object (&store);

  store = sextant_schema_open_unlocked (path, secrets, FALSE, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_MIGRATING);
  saved = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_true (sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, &error));
  g_clear_object (&store);
  assert_no_secret_word (path);

  store = sextant_schema_open_unlocked (path, secrets, TRUE, &state, &error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  assert_history (store, conversation, 20);
  g_clear_object (&store);

  /* The key gone: read-only, and no new key made in its place. */
  g_assert_true (sextant_secret_store_clear_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error));
  store = sextant_schema_open_unlocked (path, secrets, TRUE, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_KEY_MISSING);
  g_assert_false (sextant_store_check_writable (store, NULL));
  g_assert_null (sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error));
  g_clear_object (&store);

  /* Another key in the keyring: read-only too. */
  g_assert_true (sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, OTHER_HISTORY_KEY, NULL, &error));
  store = sextant_schema_open_unlocked (path, secrets, TRUE, &state, &error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_WRONG_KEY);
  g_clear_object (&store);
  after = sextant_secret_store_lookup_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, NULL, &error);
  g_assert_cmpstr (after, ==, OTHER_HISTORY_KEY);

  /* Its own key back: everything reads. */
  g_assert_true (sextant_secret_store_save_sync (secrets, SEXTANT_SECRET_HISTORY_KEY, saved, NULL, &error));
  store = sextant_schema_open_unlocked (path, secrets, TRUE, &state, &error);
  g_assert_cmpint (state, ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  assert_history (store, conversation, 20);
  g_clear_object (&store);
  sextant_test_remove_temp_dir (dir);
}

/* The keyring test runs in a session of its own: deleting the history key from the suite's
 * shared keyring would pull it from under every other test that runs meanwhile. */
static void
test_keyring (void)
{
  g_autofree char *home = sextant_test_make_temp_dir ();
  /* The keyrings live under XDG_DATA_HOME, which the suite sets for its own keyring (unlocked
   * with another password): a fresh one here, or gnome-keyring prompts and the prompt fails.
   * Short: gnome-keyring's control socket lives in it, and a socket's path has at most 107
   * bytes (the build folder's would be too deep). */
  g_autofree char *runtime = g_dir_make_tmp ("sextant-runtime-XXXXXX", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = {
    "dbus-run-session", "--", "sh", "-c",
    "export HOME=\"$1\" XDG_RUNTIME_DIR=\"$2\" SEXTANT_TEST_PRIVATE_KEYRING=1 "
    "XDG_DATA_HOME=\"$1/data\" XDG_CONFIG_HOME=\"$1/config\"; "
    "eval \"$(printf %s test | gnome-keyring-daemon --unlock --components=secrets)\"; "
    "exec \"$3\" -p /sextant/store-encryption/keyring/child",
    "sh", home, runtime, self_path, NULL,
  };
  int status;

  g_chmod (runtime, 0700);
  status = sextant_test_run_command (argv, NULL, NULL, &out, &err);
  if (status != 0)
    g_error ("The keyring test failed (%d):\n%s\n%s", status, out, err);
  g_assert_nonnull (strstr (out, "ok 1 /sextant/store-encryption/keyring/child"));
  sextant_test_remove_temp_dir (home);
  sextant_test_remove_temp_dir (runtime);
}

int
main (int    argc,
      char **argv)
{
  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/store-encryption/seal-open", test_seal_open);
  g_test_add_func ("/sextant/store-encryption/tokenize-as-fts5", test_tokenize_as_fts5);
  g_test_add_func ("/sextant/store-encryption/sealed-store", test_sealed_store);
  g_test_add_func ("/sextant/store-encryption/read-only-without-key", test_read_only_without_key);
  g_test_add_func ("/sextant/store-encryption/search-equals-clear", test_search_equals_clear);
  g_test_add_func ("/sextant/store-encryption/migration-killed", test_migration_killed);
  g_test_add_func ("/sextant/store-encryption/migration-killed/subprocess", test_migration_killed_child);
  g_test_add_func ("/sextant/store-encryption/no-keyring", test_no_keyring);
  g_test_add_func ("/sextant/store-encryption/no-keyring/subprocess", test_no_keyring_child);
  if (g_getenv ("SEXTANT_TEST_PRIVATE_KEYRING") != NULL)
    g_test_add_func ("/sextant/store-encryption/keyring/child", test_keyring_child);
  else
    g_test_add_func ("/sextant/store-encryption/keyring", test_keyring);

  return g_test_run ();
}
