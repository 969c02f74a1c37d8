package dev.sekisho.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sekisho.gateway.auth.UsersFile;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyException;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.validate.StructuralChecks;
import dev.sekisho.policies.yaml.YamlException;
import dev.sekisho.policies.yaml.YamlReader;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the files admins write: the YAML reader, the policy parser with its structural
 * checks, {@code sekisho.yaml} and the users file. A broken file is a problem that names the file
 * and a line ({@link YamlException}, {@link PolicyException}, {@link ConfigException}); nothing else
 * may escape, so that a typo can never take the gateway down with a stack trace.
 */
class FuzzConfigFiles
{
    private static final Path CONFIG = Path.of("fuzz", "sekisho.yaml");

    /**
     * One YAML text read as each of them: the shared YAML reader, the policy parser with the
     * structural checks of what parsed, {@code sekisho.yaml}, and the users file.
     */
    @FuzzTest(maxDuration = "10s")
    void yamlFiles(FuzzedDataProvider data)
    {
        String content = data.consumeRemainingAsString();
        try {
            YamlReader.read("fuzz.yaml", content);
        }
        catch (YamlException e) {
            assertThat(e.location().file()).isEqualTo("fuzz.yaml");
        }
        try {
            PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("fuzz.yaml", content)));
            new StructuralChecks().check(policies).forEach(problem -> assertThat(problem.toString()).isNotBlank());
        }
        catch (PolicyException e) {
            assertThat(e.getMessage()).contains("fuzz.yaml");
        }
        try {
            SekishoConfigLoader.load(content, CONFIG, name -> null);
        }
        catch (ConfigException e) {
            assertThat(e.file()).isEqualTo(CONFIG.toString());
        }
        try {
            UsersFile.load(new StringReader(content), "users.yaml");
        }
        catch (ConfigException e) {
            assertThat(e.file()).isEqualTo("users.yaml");
        }
    }
}
