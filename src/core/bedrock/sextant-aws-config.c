#define G_LOG_DOMAIN "sextant-aws-config"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bedrock/sextant-aws-config.h"
#include "bedrock/sextant-bedrock-error.h"
#include "base/sextant-endpoint.h"

/* Region, endpoints and CA bundle, resolved the way the AWS CLI and SDKs do, so a user's
 * existing setup works unchanged. One difference: an endpoint override in plain http:// to a
 * host other than this computer is refused (sextant-endpoint.c says why). */

static char *
strip_comment (char *line)
{
  /* AWS files take `#` and `;` comments on their own line; an inline `#` after a space too. */
  char *hash = strstr (line, " #");

  if (hash != NULL)
    *hash = '\0';
  hash = strstr (line, " ;");
  if (hash != NULL)
    *hash = '\0';

  return g_strstrip (line);
}

static gboolean
ini_fail (GError    **error,
          const char *path,
          guint       line,
          const char *what)
{
  g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
               "%s:%u: %s", path, line, what);
  return FALSE;
}

static gboolean
parse_line (GHashTable  *ini,
            GHashTable **section,
            char        *raw,
            const char  *path,
            guint        number,
            GError     **error)
{
  gboolean indented = raw[0] == ' ' || raw[0] == '\t';
  char *line = strip_comment (raw);
  char *eq;

  if (*line == '\0' || *line == '#' || *line == ';')
    return TRUE;
  if (*line == '[')
    {
      g_autofree char *name = NULL;

      if (line[strlen (line) - 1] != ']' || strlen (line) < 3)
        return ini_fail (error, path, number, "a section header must look like [name]");
      name = g_strstrip (g_strndup (line + 1, strlen (line) - 2));
      *section = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_replace (ini, g_steal_pointer (&name), *section);
      return TRUE;
    }
  /* Indented lines are nested settings (`s3 =` then `  max_concurrent_requests = 20`): not
   * ours, skipped rather than refused. */
  if (indented)
    return TRUE;
  eq = strchr (line, '=');
  if (eq == NULL)
    return ini_fail (error, path, number, "expected “key = value”");
  if (*section == NULL)
    return ini_fail (error, path, number, "a setting before any [section]");
  *eq = '\0';
  g_hash_table_replace (*section, g_strdup (g_strstrip (line)), g_strdup (g_strstrip (eq + 1)));

  return TRUE;
}

/**
 * sextant_aws_ini_parse:
 * @path: an AWS shared config or credentials file
 * @error: return location for an error naming the file and line
 *
 * A small parser rather than GKeyFile: AWS files have nested indented settings and `;`
 * comments that GKeyFile refuses, and its errors do not name the line.
 *
 * Returns: (transfer full) (nullable): section name → (key → value); %NULL with no error set
 *   if the file does not exist
 */
GHashTable *
sextant_aws_ini_parse (const char  *path,
                       GError     **error)
{
  g_autoptr(GHashTable) ini = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify)g_hash_table_unref);
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *section = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                   "Cannot read %s: %s", path, local->message);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                   "%s is not UTF-8 text", path);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (!parse_line (ini, &section, lines[i], path, i + 1, error))
        return NULL;
    }

  return g_steal_pointer (&ini);
}

/**
 * sextant_aws_ini_get_profile:
 * @ini: a parsed file
 * @profile: the profile name
 * @config_style: %TRUE for ~/.aws/config, where non-default profiles are `[profile NAME]`
 *
 * Returns: (transfer none) (nullable): the profile's settings
 */
GHashTable *
sextant_aws_ini_get_profile (GHashTable *ini,
                             const char *profile,
                             gboolean    config_style)
{
  g_autofree char *name = NULL;
  GHashTable *section;

  if (ini == NULL)
    return NULL;
  if (config_style && strcmp (profile, "default") != 0)
    {
      name = g_strconcat ("profile ", profile, NULL);
      if ((section = g_hash_table_lookup (ini, name)) != NULL)
        return section;
    }

  return g_hash_table_lookup (ini, profile);
}

static char *
home_file (const char *env,
           const char *leaf)
{
  const char *value = g_getenv (env);

  if (value != NULL && *value)
    return g_strdup (value);

  return g_build_filename (g_get_home_dir (), ".aws", leaf, NULL);
}

static char *
env_value (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value ? g_strdup (value) : NULL;
}

static char *
trim_slash (char *url)
{
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';

  return url;
}

static void
resolve_region (SextantAwsConfig *config,
                const char       *region_override,
                const char       *setting_region,
                GHashTable       *profile)
{
  const char *from_profile = profile != NULL ? g_hash_table_lookup (profile, "region") : NULL;

  if (region_override != NULL)
    config->region = g_strdup (region_override), config->region_source = g_strdup ("--region");
  else if ((config->region = env_value ("AWS_REGION")) != NULL)
    config->region_source = g_strdup ("AWS_REGION");
  else if ((config->region = env_value ("AWS_DEFAULT_REGION")) != NULL)
    config->region_source = g_strdup ("AWS_DEFAULT_REGION");
  else if (from_profile != NULL && *from_profile)
    {
      config->region = g_strdup (from_profile);
      config->region_source = g_strdup_printf ("profile %s in %s", config->profile, config->config_file);
    }
  else if (setting_region != NULL && *setting_region)
    config->region = g_strdup (setting_region), config->region_source = g_strdup ("settings");
  else
    config->region = g_strdup ("us-east-1"), config->region_source = g_strdup ("default");
}

/* The region goes into the host name and the signature: a typing error there (“nan”, a path)
 * would otherwise come back as a DNS failure or a signature mismatch far from its cause. AWS
 * region names are like us-east-1, us-gov-west-1, ap-southeast-2. */
static gboolean
check_region (SextantAwsConfig  *config,
              GError           **error)
{
  if (g_regex_match_simple ("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", config->region, 0, 0))
    return TRUE;
  g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_INVALID_ARGUMENT,
               _("“%s” (from %s) is not an AWS region name such as us-east-1"),
               config->region, config->region_source);

  return FALSE;
}

/* An endpoint from the environment, or the default one, and the variable it came from. */
static char *
endpoint_value (const char  *name,
                const char  *shared,
                const char  *service,
                const char  *region,
                const char **source)
{
  char *value = env_value (name);

  *source = name;
  if (value != NULL)
    return trim_slash (value);
  *source = "AWS_ENDPOINT_URL";
  if (shared != NULL)
    return trim_slash (g_strdup (shared));
  *source = "default";

  return g_strdup_printf ("https://%s.%s.amazonaws.com", service, region);
}

static gboolean
resolve_endpoints (SextantAwsConfig  *config,
                   GError           **error)
{
  g_autofree char *shared = env_value ("AWS_ENDPOINT_URL");
  const char *runtime_source, *control_source;

  config->runtime_endpoint = endpoint_value ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", shared,
                                             "bedrock-runtime", config->region, &runtime_source);
  config->control_endpoint = endpoint_value ("AWS_ENDPOINT_URL_BEDROCK", shared,
                                             "bedrock", config->region, &control_source);

  return sextant_endpoint_check_transport (config->runtime_endpoint, runtime_source,
                                           SEXTANT_BEDROCK_ERROR,
                                           SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT, error) &&
         sextant_endpoint_check_transport (config->control_endpoint, control_source,
                                           SEXTANT_BEDROCK_ERROR,
                                           SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT, error);
}

/**
 * sextant_aws_config_load:
 * @region_override: (nullable): a region given on the command line
 * @setting_region: (nullable): the region chosen in the app's settings
 * @error: return location for an error: a malformed config file, naming its line, or
 *   %SEXTANT_BEDROCK_ERROR_INSECURE_ENDPOINT for a plain-HTTP endpoint override to another host
 *
 * Returns: (transfer full) (nullable): the configuration
 */
SextantAwsConfig *
sextant_aws_config_load (const char  *region_override,
                         const char  *setting_region,
                         GError     **error)
{
  return sextant_aws_config_load_for_profile (region_override, setting_region, NULL, error);
}

/**
 * sextant_aws_config_load_for_profile:
 * @region_override: (nullable): a region given on the command line
 * @setting_region: (nullable): the region chosen in the app's settings
 * @setting_profile: (nullable): the profile chosen in the app's settings; empty or %NULL means
 *   `AWS_PROFILE`, then `default`
 * @error: return location for an error (see sextant_aws_config_load())
 *
 * Like sextant_aws_config_load(), with the profile the user chose in Preferences, which wins over
 * `AWS_PROFILE` as `--profile` does in the AWS CLI.
 *
 * Returns: (transfer full) (nullable): the configuration
 */
SextantAwsConfig *
sextant_aws_config_load_for_profile (const char  *region_override,
                                     const char  *setting_region,
                                     const char  *setting_profile,
                                     GError     **error)
{
  g_autoptr(SextantAwsConfig) config = g_new0 (SextantAwsConfig, 1);
  g_autoptr(GHashTable) ini = NULL;
  g_autoptr(GError) local = NULL;
  GHashTable *profile;

  if (setting_profile != NULL && setting_profile[0] != '\0')
    config->profile = g_strdup (setting_profile);
  else
    config->profile = env_value ("AWS_PROFILE");
  if (config->profile == NULL)
    config->profile = g_strdup ("default");
  config->config_file = home_file ("AWS_CONFIG_FILE", "config");
  config->credentials_file = home_file ("AWS_SHARED_CREDENTIALS_FILE", "credentials");
  ini = sextant_aws_ini_parse (config->config_file, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  profile = sextant_aws_ini_get_profile (ini, config->profile, TRUE);
  resolve_region (config, region_override, setting_region, profile);
  if (!check_region (config, error))
    return NULL;

  if (!resolve_endpoints (config, error))
    return NULL;
  /* Like the AWS CLI, the bundle replaces the system trust store rather than adding to it. */
  config->ca_bundle = env_value ("AWS_CA_BUNDLE");
  if (config->ca_bundle == NULL && profile != NULL && g_hash_table_lookup (profile, "ca_bundle") != NULL)
    config->ca_bundle = g_strdup (g_hash_table_lookup (profile, "ca_bundle"));

  return g_steal_pointer (&config);
}

/**
 * sextant_aws_config_new_for_endpoint:
 * @region: the signing region
 * @endpoint: the base URL for both planes (a fake server in tests)
 *
 * Returns: (transfer full): a configuration that reads nothing from the environment
 */
SextantAwsConfig *
sextant_aws_config_new_for_endpoint (const char *region,
                                     const char *endpoint)
{
  SextantAwsConfig *config = g_new0 (SextantAwsConfig, 1);

  config->region = g_strdup (region);
  config->region_source = g_strdup ("explicit");
  config->profile = g_strdup ("default");
  config->runtime_endpoint = trim_slash (g_strdup (endpoint));
  config->control_endpoint = trim_slash (g_strdup (endpoint));

  return config;
}

SextantAwsConfig *
sextant_aws_config_copy (const SextantAwsConfig *config)
{
  SextantAwsConfig *copy = g_new0 (SextantAwsConfig, 1);

  copy->region = g_strdup (config->region);
  copy->region_source = g_strdup (config->region_source);
  copy->profile = g_strdup (config->profile);
  copy->runtime_endpoint = g_strdup (config->runtime_endpoint);
  copy->control_endpoint = g_strdup (config->control_endpoint);
  copy->ca_bundle = g_strdup (config->ca_bundle);
  copy->config_file = g_strdup (config->config_file);
  copy->credentials_file = g_strdup (config->credentials_file);

  return copy;
}

void
sextant_aws_config_free (SextantAwsConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->region);
  g_free (config->region_source);
  g_free (config->profile);
  g_free (config->runtime_endpoint);
  g_free (config->control_endpoint);
  g_free (config->ca_bundle);
  g_free (config->config_file);
  g_free (config->credentials_file);
  g_free (config);
}

/**
 * sextant_aws_config_load_ca_bundle:
 * @config: the configuration
 * @error: return location for an error (an unreadable bundle)
 *
 * The bundle is the whole trust store, as with the AWS CLI and SDKs: a session given this
 * database trusts the bundle's certificates and no longer the system's. A corporate TLS proxy's
 * bundle must therefore hold every CA the requests need.
 *
 * Returns: (transfer full) (nullable): a TLS database of the bundle's certificates only, or
 *   %NULL (no error) when no bundle is configured
 */
GTlsDatabase *
sextant_aws_config_load_ca_bundle (const SextantAwsConfig  *config,
                                   GError                 **error)
{
  g_autoptr(GError) local = NULL;
  GTlsDatabase *database;

  if (config->ca_bundle == NULL)
    return NULL;
  database = g_tls_file_database_new (config->ca_bundle, &local);
  if (database == NULL)
    g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                 "Cannot load the CA bundle %s (AWS_CA_BUNDLE): %s", config->ca_bundle, local->message);

  return database;
}
