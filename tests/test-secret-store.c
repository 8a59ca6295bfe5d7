#include "config.h"

#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* These run against a real gnome-keyring in a private D-Bus session (tests/run-suite.sh). Outside
 * it they skip, unless SEXTANT_TEST_REQUIRE_KEYRING says the keyring must be there. */

/* Fake values only: AWS's documented example secret, and a made-up provider key. */
#define TEST_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define TEST_PROVIDER_KEY "sextant-test-finnhub-key-5f2c1a"

static gboolean
keyring_available (void)
{
  g_autoptr(SextantSecretStore) store = sextant_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  value = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_STOOQ_KEY, NULL, &error);
  if (error == NULL)
    return TRUE;

  if (g_getenv ("SEXTANT_TEST_REQUIRE_KEYRING") != NULL)
    g_error ("The keyring is required but not usable: %s", error->message);
  g_test_skip (error->message);

  return FALSE;
}

static void
changed_cb (SextantSecretStore *store,
            guint               key,
            GArray             *keys)
{
  g_array_append_val (keys, key);
}

static void
test_round_trip (void)
{
  g_autoptr(SextantSecretStore) store = sextant_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!keyring_available ())
    return;
  /* Whoever uses a key hears that it was saved or cleared (a chat window connects again). */
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), changed);

  g_assert_true (sextant_secret_store_save_sync (store, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY,
                                                 TEST_SECRET, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sextant_secret_store_save_sync (store, SEXTANT_SECRET_FINNHUB_KEY,
                                                 TEST_PROVIDER_KEY, NULL, &error));
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpuint (g_array_index (changed, guint, 0), ==, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY);
  g_assert_cmpuint (g_array_index (changed, guint, 1), ==, SEXTANT_SECRET_FINNHUB_KEY);

  value = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY, NULL,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, TEST_SECRET);

  /* Kinds do not leak into each other: the provider schema holds only its own key. */
  other = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_ALPHA_VANTAGE_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (other);

  g_assert_true (sextant_secret_store_clear_sync (store, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY,
                                                  NULL, &error));
  g_assert_cmpuint (changed->len, ==, 3);
  g_assert_cmpuint (g_array_index (changed, guint, 2), ==, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY);
  g_clear_pointer (&value, g_free);
  value = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_AWS_SECRET_ACCESS_KEY, NULL,
                                            &error);
  g_assert_no_error (error);
  g_assert_null (value);
}

static void
test_empty_value_refused (void)
{
  g_autoptr(SextantSecretStore) store = sextant_secret_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (sextant_secret_store_save_sync (store, SEXTANT_SECRET_FINNHUB_KEY, "", NULL,
                                                  &error));
  g_assert_error (error, SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_INVALID);
}

static void
test_no_keyring_child (void)
{
  g_autoptr(SextantSecretStore) store = sextant_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  value = sextant_secret_store_lookup_sync (store, SEXTANT_SECRET_FINNHUB_KEY, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_NO_KEYRING);
  g_assert_nonnull (strstr (error->message, "No keyring is available"));

  g_clear_error (&error);
  g_assert_false (sextant_secret_store_save_sync (store, SEXTANT_SECRET_FINNHUB_KEY,
                                                  TEST_PROVIDER_KEY, NULL, &error));
  g_assert_error (error, SEXTANT_SECRET_ERROR, SEXTANT_SECRET_ERROR_NO_KEYRING);
  /* The message explains; it never carries the value that could not be saved. */
  g_assert_null (strstr (error->message, TEST_PROVIDER_KEY));
}

static void
test_no_keyring (void)
{
  /* A child process with the session bus disabled stands for a desktop with no Secret
   * Service: every call must fail fast with one clear error, never hang or crash. */
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_test_trap_subprocess ("/sextant/secret-store/no-keyring/subprocess", 20 * G_USEC_PER_SEC, 0);
  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/secret-store/round-trip", test_round_trip);
  g_test_add_func ("/sextant/secret-store/empty-value-refused", test_empty_value_refused);
  g_test_add_func ("/sextant/secret-store/no-keyring", test_no_keyring);
  g_test_add_func ("/sextant/secret-store/no-keyring/subprocess", test_no_keyring_child);

  return g_test_run ();
}
