#define G_LOG_DOMAIN "test-model-limits"

#include "config.h"

#include "sextant-core.h"
#include "sextant-test-util.h"

/* The per-model limits behind maxTokens sizing and prompt caching. The figures are the Bedrock
 * and Anthropic documentation's (sextant-model-limits.c names them); the sizing rule is
 * Sextant's own policy, stated here as arithmetic. */

static void
test_families (void)
{
  gboolean tools = TRUE;

  /* Profiles and ARNs share their model's entry. */
  g_assert_cmpuint (sextant_model_limits_output_burndown ("us.anthropic.claude-sonnet-4-20250514-v1:0"), ==, 5);
  g_assert_cmpuint (sextant_model_limits_output_burndown ("global.anthropic.claude-opus-4-5-20251101-v1:0"), ==, 5);
  g_assert_cmpuint (sextant_model_limits_output_burndown ("anthropic.claude-3-haiku-20240307-v1:0"), ==, 1);
  g_assert_cmpuint (sextant_model_limits_output_burndown ("amazon.nova-lite-v1:0"), ==, 1);
  g_assert_cmpint (sextant_model_limits_max_output ("anthropic.claude-3-haiku-20240307-v1:0"), ==, 4096);
  g_assert_cmpint (sextant_model_limits_max_output ("mistral.unknown-v1:0"), ==, 4096);
  g_assert_cmpint (sextant_model_limits_max_output (NULL), ==, 4096);

  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("us.anthropic.claude-sonnet-4-20250514-v1:0", &tools), ==, 1024);
  g_assert_true (tools);
  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("anthropic.claude-3-5-haiku-20241022-v1:0", NULL), ==, 2048);
  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("us.anthropic.claude-haiku-4-5-20251001-v1:0", NULL), ==, 4096);
  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("us.anthropic.claude-opus-4-5-20251101-v1:0", NULL), ==, 4096);
  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("us.anthropic.claude-opus-4-1-20250805-v1:0", NULL), ==, 1024);
  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("amazon.nova-pro-v1:0", &tools), ==, 1000);
  g_assert_false (tools);
  g_assert_cmpuint (sextant_model_limits_cache_min_tokens ("anthropic.claude-3-haiku-20240307-v1:0", &tools), ==, 0);
}

static void
test_size_max_tokens (void)
{
  const char *sonnet = "us.anthropic.claude-sonnet-4-20250514-v1:0";

  /* First round: 1,024 plus the question's tokens. */
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, 20, 0, 4096), ==, 1044);
  /* From tool results: half their tokens on top. */
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, 20, 1000, 4096), ==, 1544);
  /* The caller's ceiling and the model's own limit bound it. */
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, 20, 100000, 4096), ==, 4096);
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, 20, 100000, 0), ==, 1024 + 20 + 8192);
  g_assert_cmpint (sextant_model_limits_size_max_tokens ("anthropic.claude-3-haiku-20240307-v1:0", 4000, 100000, 64000), ==, 4096);
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, 0, 0, 100), ==, 100);
  /* Bad estimates do not shrink or overflow it. */
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, -5, G_MAXINT64, 0), ==, 1024 + 8192);
  g_assert_cmpint (sextant_model_limits_size_max_tokens (sonnet, G_MAXINT64, -1, 0), ==, 1024 + 4096);
}

static void
test_quota_reserved (void)
{
  /* Claude 4: maxTokens counts five times against the per-minute quota. */
  g_assert_cmpint (sextant_model_limits_quota_reserved ("us.anthropic.claude-sonnet-4-20250514-v1:0", 2000, 1044), ==,
                   2000 + 5 * 1044);
  g_assert_cmpint (sextant_model_limits_quota_reserved ("anthropic.claude-3-haiku-20240307-v1:0", 2000, 1044), ==, 3044);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-limits/families", test_families);
  g_test_add_func ("/model-limits/size-max-tokens", test_size_max_tokens);
  g_test_add_func ("/model-limits/quota-reserved", test_quota_reserved);

  return g_test_run ();
}
