#define G_LOG_DOMAIN "test-log-writer"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static char *log_dir;

static char *
read_log (const char *suffix)
{
  g_autofree char *path = g_strconcat (log_dir, "/sextant.log", suffix, NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);

  return contents;
}

static void
test_redaction (void)
{
  g_autofree char *contents = NULL;
  g_autofree char *redacted = NULL;
  /* Fake values shaped like AWS ones; the key id is AWS's documented example. */
  const char *secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  sextant_log_writer_register_secret (secret);
  /* Structured logging goes straight to the writer; g_message() would also pass through the test
   * harness's own handler, which prints to the test log unredacted. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MESSAGE", "signing with %s for key AKIAIOSFODNN7EXAMPLE", secret);

  contents = read_log ("");
  g_assert_nonnull (contents);
  g_assert_null (strstr (contents, secret));
  g_assert_null (strstr (contents, "AKIAIOSFODNN7EXAMPLE"));
  g_assert_nonnull (strstr (contents, "signing with [redacted] for key [redacted-key-id]"));

  redacted = sextant_log_writer_redact ("token=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  g_assert_cmpstr (redacted, ==, "token=[redacted]");
}

static void
test_rotation_and_tail (void)
{
  g_auto(GStrv) tail = NULL;
  g_autofree char *first = NULL;
  g_autofree char *third = NULL;

  /* 400 bytes a file, 3 files: 60 messages of ~70 bytes rotate many times, yet only the current
   * file and .1 and .2 may exist. */
  sextant_log_writer_install (log_dir, 400, 3);
  for (int i = 0; i < 60; i++)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "MESSAGE", "rotation line %02d padded to make the line longer", i);

  first = read_log (".1");
  third = read_log (".3");
  g_assert_nonnull (first);
  g_assert_null (third);

  tail = sextant_log_writer_read_tail (2);
  g_assert_cmpuint (g_strv_length (tail), <=, 2);
  g_assert_cmpuint (g_strv_length (tail), >=, 1);
  g_assert_nonnull (strstr (tail[g_strv_length (tail) - 1], "rotation line 59"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  log_dir = sextant_test_make_temp_dir ();
  sextant_log_writer_install (log_dir, 5 * 1024 * 1024, 3);

  g_test_add_func ("/sextant/log-writer/redaction", test_redaction);
  g_test_add_func ("/sextant/log-writer/rotation-and-tail", test_rotation_and_tail);

  status = g_test_run ();
  sextant_log_writer_uninstall ();
  g_free (log_dir);

  return status;
}
