#define G_LOG_DOMAIN "sextant-data-dirs"

#include "config.h"

#include <glib/gstdio.h>

#include "base/sextant-data-dirs.h"

/**
 * sextant_data_dirs_get_bundled:
 *
 * Where the demo data and other read-only files live. `SEXTANT_DATADIR` wins so that tests and
 * `meson devenv` can run from the build tree; then the installed package data dir; then the
 * source tree, which is what a freshly built but not installed binary needs.
 *
 * Returns: the directory (owned by this module)
 */
const char *
sextant_data_dirs_get_bundled (void)
{
  static char *bundled;

  if (g_once_init_enter (&bundled))
    {
      const char *env = g_getenv ("SEXTANT_DATADIR");
      char *dir;

      if (env != NULL && *env != '\0')
        dir = g_strdup (env);
      else if (g_file_test (PKGDATADIR "/demo", G_FILE_TEST_IS_DIR))
        dir = g_strdup (PKGDATADIR);
      else
        dir = g_strdup (SOURCE_DATADIR);

      g_once_init_leave (&bundled, dir);
    }

  return bundled;
}

/**
 * sextant_data_dirs_dup_bundled_file:
 * @relative_path: a path below the bundled data dir, such as `demo/sp500.csv`
 *
 * Returns: (transfer full): the absolute path
 */
char *
sextant_data_dirs_dup_bundled_file (const char *relative_path)
{
  g_return_val_if_fail (relative_path != NULL, NULL);

  return g_build_filename (sextant_data_dirs_get_bundled (), relative_path, NULL);
}

/**
 * sextant_data_dirs_dup_user_data:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/sextant`, created if missing
 */
char *
sextant_data_dirs_dup_user_data (void)
{
  char *dir = g_build_filename (g_get_user_data_dir (), "sextant", NULL);

  g_mkdir_with_parents (dir, 0700);
  /* Sextant's own folder is private even if it was made before, or under another umask. */
  g_chmod (dir, 0700);

  return dir;
}

/**
 * sextant_data_dirs_dup_state:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/sextant`, created if missing; logs go here
 */
char *
sextant_data_dirs_dup_state (void)
{
  char *dir = g_build_filename (g_get_user_state_dir (), "sextant", NULL);

  g_mkdir_with_parents (dir, 0700);
  /* Sextant's own folder is private even if it was made before, or under another umask. */
  g_chmod (dir, 0700);

  return dir;
}

/**
 * sextant_data_dirs_dup_database_path:
 *
 * `SEXTANT_DATABASE` overrides the location, for tests and for users who keep several books.
 *
 * Returns: (transfer full): the path of the SQLite database
 */
char *
sextant_data_dirs_dup_database_path (void)
{
  g_autofree char *dir = NULL;
  const char *env = g_getenv ("SEXTANT_DATABASE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  dir = sextant_data_dirs_dup_user_data ();

  return g_build_filename (dir, "sextant.db", NULL);
}
