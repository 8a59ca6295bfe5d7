#define G_LOG_DOMAIN "test-endpoint"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Plain-HTTP endpoint overrides (issue 13): loopback is accepted, as the fake servers of the
 * tests listen there; another host is refused with an error naming the URL, where it came from
 * and the opt-in; SEXTANT_ALLOW_INSECURE_ENDPOINT=1 lets it through. */

#define ALLOW "SEXTANT_ALLOW_INSECURE_ENDPOINT"

static const char *endpoint_vars[] = {
  "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL_BEDROCK", "AWS_PROFILE",
  "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CA_BUNDLE", "SEXTANT_FINNHUB_BASE_URL", ALLOW,
};

static char *tmpdir;

static void
clear_env (void)
{
  g_autofree char *none = g_build_filename (tmpdir, "missing", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (endpoint_vars); i++)
    g_unsetenv (endpoint_vars[i]);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", none, TRUE);
  g_setenv ("AWS_CONFIG_FILE", none, TRUE);
}

/* 127.0.0.0/8 is all loopback (RFC 1122 §3.2.1.3), not only 127.0.0.1. */
static const char *loopback_urls[] = {
  "http://127.0.0.1:8080", "http://127.1.2.3/x", "http://localhost:4566/", "http://LOCALHOST",
  "http://[::1]:9000/path",
};
static const char *remote_urls[] = {
  "http://example.com", "http://128.0.0.1", "http://10.0.0.1:80", "http://[::2]:9000",
  "http://localhost.example.com", "http://127.0.0.1.example.com",
};

static void
test_loopback (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (loopback_urls); i++)
    g_assert_true (sextant_endpoint_is_loopback (loopback_urls[i]));
  for (guint i = 0; i < G_N_ELEMENTS (remote_urls); i++)
    g_assert_false (sextant_endpoint_is_loopback (remote_urls[i]));
  g_assert_false (sextant_endpoint_is_loopback ("not a url"));
}

/* The market layer applies the same rule to provider base URLs: the same URLs get the same
 * answers there. Yahoo needs no key, so no keyring is asked. */
static void
test_same_rule_for_market (void)
{
  clear_env ();
  for (guint i = 0; i < G_N_ELEMENTS (loopback_urls); i++)
    {
      g_autoptr(SextantMarketProvider) provider = NULL;
      g_autoptr(GError) error = NULL;

      provider = sextant_market_provider_new_configured (NULL, "yahoo", loopback_urls[i], &error);
      g_assert_no_error (error);
      g_assert_true (sextant_endpoint_check_transport (loopback_urls[i], "X", G_IO_ERROR,
                                                       G_IO_ERROR_FAILED, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (remote_urls); i++)
    {
      g_autoptr(SextantMarketProvider) provider = NULL;
      g_autoptr(GError) error = NULL;

      provider = sextant_market_provider_new_configured (NULL, "yahoo", remote_urls[i], &error);
      g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT);
      g_assert_null (provider);
      g_assert_false (sextant_endpoint_check_transport (remote_urls[i], "X", G_IO_ERROR,
                                                        G_IO_ERROR_FAILED, NULL));
    }
}

static gboolean
check (const char  *url,
       GError     **error)
{
  return sextant_endpoint_check_transport (url, "X", G_IO_ERROR, G_IO_ERROR_FAILED, error);
}

static void
test_check_transport (void)
{
  g_autoptr(GError) error = NULL;

  clear_env ();
  g_assert_true (check ("https://example.com", NULL));
  g_assert_true (check ("http://127.0.0.1:41234", NULL));
  g_assert_true (check (NULL, NULL));
  /* The scheme is case-insensitive (RFC 3986 §3.1). */
  g_assert_false (check ("HTTP://example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  /* Anything but exactly "1" is not an opt-in. */
  g_setenv (ALLOW, "yes", TRUE);
  g_assert_false (check ("http://example.com", NULL));
  g_setenv (ALLOW, "1", TRUE);
  g_assert_true (check ("http://example.com", NULL));
  g_unsetenv (ALLOW);
}

static void
test_aws_config (void)
{
  const char *vars[] = { "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL_BEDROCK", "AWS_ENDPOINT_URL" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autoptr(SextantAwsConfig) loopback = NULL, refused = NULL, allowed = NULL;
      g_autoptr(GError) error = NULL;

      clear_env ();
      g_setenv (vars[i], "http://127.0.0.1:41234/", TRUE);
      loopback = sextant_aws_config_load ("us-east-1", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loopback);

      g_setenv (vars[i], "http://example.com", TRUE);
      refused = sextant_aws_config_load ("us-east-1", NULL, &error);
      g_assert_null (refused);
      g_assert_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT);
      /* The message says which URL, which variable, and how to allow it. */
      g_assert_nonnull (strstr (error->message, "http://example.com"));
      g_assert_nonnull (strstr (error->message, vars[i]));
      g_assert_nonnull (strstr (error->message, ALLOW "=1"));
      g_clear_error (&error);

      g_setenv (ALLOW, "1", TRUE);
      allowed = sextant_aws_config_load ("us-east-1", NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (allowed->runtime_endpoint, "http://") ||
                     g_str_has_prefix (allowed->control_endpoint, "http://"));
    }
  clear_env ();
}

static void
test_market_provider (void)
{
  g_autoptr(SextantMarketProvider) loopback = NULL, refused = NULL, from_setting = NULL;
  g_autoptr(SextantMarketProvider) allowed = NULL;
  g_autoptr(SextantMarketRouter) router = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  clear_env ();
  g_setenv ("SEXTANT_FINNHUB_BASE_URL", "http://127.0.0.1:41234", TRUE);
  loopback = sextant_market_provider_new_configured (NULL, "finnhub", NULL, &error);
  g_assert_no_error (error);
  url = sextant_market_provider_dup_base_url (loopback);
  g_assert_cmpstr (url, ==, "http://127.0.0.1:41234");

  g_setenv ("SEXTANT_FINNHUB_BASE_URL", "http://example.com", TRUE);
  refused = sextant_market_provider_new_configured (NULL, "finnhub", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT);
  g_assert_nonnull (strstr (error->message, "SEXTANT_FINNHUB_BASE_URL"));
  g_clear_error (&error);
  /* The command line's router stops on it rather than quietly dropping the provider. */
  g_setenv ("SEXTANT_PROVIDERS", "finnhub", TRUE);
  router = sextant_market_router_new_from_environment (NULL, &error);
  g_assert_null (router);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT);
  g_unsetenv ("SEXTANT_PROVIDERS");
  g_clear_error (&error);

  /* The GUI passes its GSettings value, which the message names as a setting. */
  from_setting = sextant_market_provider_new_configured (NULL, "stooq", "http://example.com/", &error);
  g_assert_null (from_setting);
  g_assert_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT);
  g_assert_nonnull (strstr (error->message, "stooq base URL setting"));
  g_clear_error (&error);

  g_setenv (ALLOW, "1", TRUE);
  allowed = sextant_market_provider_new_configured (NULL, "finnhub", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (allowed);
  clear_env ();
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = sextant_test_make_temp_dir ();

  g_test_add_func ("/sextant/endpoint/loopback", test_loopback);
  g_test_add_func ("/sextant/endpoint/check-transport", test_check_transport);
  g_test_add_func ("/sextant/endpoint/aws-config", test_aws_config);
  g_test_add_func ("/sextant/endpoint/market-provider", test_market_provider);
  g_test_add_func ("/sextant/endpoint/same-rule-for-market", test_same_rule_for_market);

  ret = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);

  return ret;
}
