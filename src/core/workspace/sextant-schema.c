#define G_LOG_DOMAIN "sextant-schema"

#include "config.h"

#include "agent/sextant-agent-schema.h"
#include "base/sextant-data-dirs.h"
#include "jobs/sextant-jobs-schema.h"
#include "knowledge/sextant-kb-schema.h"
#include "market/sextant-market-schema.h"
#include "workspace/sextant-schema.h"
#include "workspace/sextant-store-encryption.h"

/* The whole database schema: each feature owns its tables' migrations, and this is the one place
 * that knows every feature. The versions are one sequence (the file's user_version) across the
 * features, in the order they were released; the merged list must run 1, 2, 3 … with no gap or
 * repeat, which is checked once here so that a feature taking a used number fails every test. */

static int
compare_versions (gconstpointer a,
                  gconstpointer b)
{
  const SextantMigration *ma = a;
  const SextantMigration *mb = b;

  return (ma->version > mb->version) - (ma->version < mb->version);
}

static gpointer
merge_migrations (gpointer data)
{
  const SextantMigration *(*features[]) (guint *) = {
    sextant_market_schema_get_migrations,
    sextant_agent_schema_get_migrations,
    sextant_kb_schema_get_migrations,
    sextant_jobs_schema_get_migrations,
  };
  GArray *all = g_array_new (FALSE, FALSE, sizeof (SextantMigration));

  for (guint f = 0; f < G_N_ELEMENTS (features); f++)
    {
      guint n = 0;
      const SextantMigration *migrations = features[f] (&n);

      g_array_append_vals (all, migrations, n);
    }
  g_array_sort (all, compare_versions);
  for (guint i = 0; i < all->len; i++)
    if (g_array_index (all, SextantMigration, i).version != (int) i + 1)
      g_error ("Schema migration %u is numbered %d (%s): versions must run 1, 2, 3 … across features",
               i + 1, g_array_index (all, SextantMigration, i).version,
               g_array_index (all, SextantMigration, i).feature);

  return all;
}

/**
 * sextant_schema_get_migrations:
 * @n_migrations: (out): the number of migrations, the latest schema version
 *
 * Returns: (array length=n_migrations) (transfer none): every feature's migrations, in order
 */
const SextantMigration *
sextant_schema_get_migrations (guint *n_migrations)
{
  static GOnce once = G_ONCE_INIT;
  GArray *all = g_once (&once, merge_migrations, NULL);

  *n_migrations = all->len;

  return (const SextantMigration *) (gpointer) all->data;
}

int
sextant_schema_get_latest_version (void)
{
  guint n = 0;

  sextant_schema_get_migrations (&n);

  return n;
}

/**
 * sextant_schema_open:
 * @path: the database file, created if missing
 * @error: return location for a #SEXTANT_STORE_ERROR
 *
 * Opens the database with every feature's tables up to date (see sextant_store_open()).
 *
 * Returns: (transfer full): the store, or %NULL
 */
SextantStore *
sextant_schema_open (const char  *path,
                     GError     **error)
{
  guint n = 0;
  const SextantMigration *migrations = sextant_schema_get_migrations (&n);
  g_autoptr(SextantStore) store = sextant_store_open (path, migrations, n, error);

  /* Without its key, a sealed history is read-only: whoever opens it by path alone (a worker
   * thread, a test) cannot write clear text beside sealed rows. */
  if (store == NULL || (sextant_store_encryption_attach (store, NULL, error), error != NULL && *error != NULL))
    return NULL;

  return g_steal_pointer (&store);
}

/**
 * sextant_schema_open_unlocked:
 * @path: the database file, created if missing
 * @secrets: the keyring
 * @finish_migration: whether to seal what is still clear now (the command-line tool), or leave
 *   it to the caller (the app shows a progress dialog)
 * @state: (out) (optional): the state of the history's encryption
 * @error: return location
 *
 * sextant_schema_open() with the history key from the keyring (see
 * sextant_store_encryption_unlock()).
 *
 * Returns: (transfer full): the store, or %NULL
 */
SextantStore *
sextant_schema_open_unlocked (const char              *path,
                              SextantSecretStore      *secrets,
                              gboolean                 finish_migration,
                              SextantEncryptionState  *state,
                              GError                 **error)
{
  g_autoptr(SextantStore) store = sextant_schema_open (path, error);
  SextantEncryptionState opened;
  GError *local_error = NULL;

  if (store == NULL)
    return NULL;
  opened = sextant_store_encryption_unlock (store, secrets, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (opened == SEXTANT_ENCRYPTION_MIGRATING && finish_migration)
    {
      if (!sextant_store_encryption_migrate (store, 0, NULL, NULL, NULL, error))
        return NULL;
      opened = SEXTANT_ENCRYPTION_ENCRYPTED;
    }
  if (sextant_encryption_state_is_read_only (opened))
    g_message ("%s", sextant_encryption_state_describe (opened));
  if (state != NULL)
    *state = opened;

  return g_steal_pointer (&store);
}

/**
 * sextant_schema_open_default:
 * @error: return location for an error
 *
 * Opens the user's database with its history key from the keyring, encrypting what is still
 * clear first (see sextant_schema_open_unlocked()).
 *
 * Returns: (transfer full): the store at sextant_data_dirs_dup_database_path(), or %NULL
 */
SextantStore *
sextant_schema_open_default (GError **error)
{
  g_autofree char *path = sextant_data_dirs_dup_database_path ();
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();

  return sextant_schema_open_unlocked (path, secrets, TRUE, NULL, error);
}
