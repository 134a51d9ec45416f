package org.orthweb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.orthweb.net.Cidr;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The declaration mechanism itself, on records made for this test: nested sections, lists of
 * scalars, lists of objects and optional sections, as settings such as {@code dicom.clients} or
 * {@code ha} will need; and the README table against the real declarations.
 */
class DeclarationsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Site(
            @Setting("site name") @Check(Rules.DnsName.class) String name,
            @Setting("DICOM listener") Dicom dicom,
            @Setting("DICOM peers") @Default("[]") List<Client> clients,
            @Setting("high availability") Optional<Ha> ha,
            @Setting("extra ports") @Default("[443]") List<Integer> ports) {
    }

    record Dicom(
            @Setting("AE title") @Default("ORTHANC") String aeTitle,
            @Setting("port") @Default(value = "104", hardened = "11112") @Range(min = 1, max = 65535) int port) {
    }

    record Client(
            @Setting("peer name") String name,
            @Setting("peer AE title") String aeTitle,
            @Setting("peer network") @Default("0.0.0.0/0") Cidr network) {
    }

    record Ha(@Setting("hosts behind the load balancer") @Default("2") @Range(min = 2, max = 3) int instances) {
    }

    private static Object read(String yaml, Environment env, List<String> problems) throws Exception {
        JsonNode node = YAML.readTree(yaml);
        return new SettingsReader(env, java.util.Set.of(), problems).readRecord(Site.class, node, "orthweb:site");
    }

    @Test
    void nestedSectionsListsOfObjectsAndOptionalSectionsAreReadWithDefaults() throws Exception {
        List<String> problems = new ArrayList<>();
        Object site = read("""
                name: PACS.example.org
                clients:
                  - {name: ct-1, aeTitle: CT1}
                  - {name: mr-1, aeTitle: MR1, network: 10.1.0.0/16}
                ha: {}
                """, Environment.DEV, problems);
        assertThat(problems).isEmpty();
        assertThat(site).isEqualTo(new Site("pacs.example.org", new Dicom("ORTHANC", 104),
                List.of(new Client("ct-1", "CT1", Cidr.parse("0.0.0.0/0")), new Client("mr-1", "MR1", Cidr.parse("10.1.0.0/16"))),
                Optional.of(new Ha(2)), List.of(443)));
    }

    @Test
    void anAbsentOptionalSectionIsEmptyAndProfileDefaultsApply() throws Exception {
        List<String> problems = new ArrayList<>();
        Site site = (Site) read("name: pacs.example.org\n", Environment.PRD, problems);
        assertThat(problems).isEmpty();
        assertThat(site.ha()).isEmpty();
        assertThat(site.dicom().port()).isEqualTo(11112);
    }

    @Test
    void problemsInsideListsOfObjectsNameTheElement() throws Exception {
        List<String> problems = new ArrayList<>();
        Object site = read("""
                name: pacs.example.org
                clients:
                  - {name: ct-1}
                  - {name: "", aeTitle: MR1, netwrk: 10.0.0.0/8}
                ha: {instances: 5}
                ports: [443, ""]
                """, Environment.DEV, problems);
        assertThat(site).isNull();
        assertThat(problems).containsExactlyInAnyOrder(
                "orthweb:site.clients[0].aeTitle is required",
                "unknown setting 'orthweb:site.clients[1].netwrk'; allowed: aeTitle, name, network",
                "orthweb:site.clients[1].name is empty: give a value, or remove the key to use its default",
                "orthweb:site.ha.instances must be from 2 to 3 (got 5)",
                "orthweb:site.ports[1] is empty: a list may not hold empty entries");
    }

    @Test
    void theWriterIsTheReadersInverseForEveryShape() throws Exception {
        Site site = new Site("pacs.example.org", new Dicom("PACS", 4242),
                List.of(new Client("ct-1", "CT1", Cidr.parse("10.0.0.0/8"))), Optional.of(new Ha(3)), List.of(443, 8443));
        JsonNode written = SettingsWriter.write(site);
        List<String> problems = new ArrayList<>();
        Object back = new SettingsReader(Environment.DEV, java.util.Set.of(), problems).readRecord(Site.class, written, "orthweb:site");
        assertThat(problems).isEmpty();
        assertThat(back).isEqualTo(site);
        assertThat(written.get("clients").get(0).get("network").asText()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void listsOfObjectsAndOptionalSectionsGetReadmeRows() {
        // rows are derived from the same walk the README table uses
        List<String> keys = new ArrayList<>();
        collect(Site.class, "orthweb:site", keys);
        assertThat(keys).containsExactly("orthweb:site.name", "orthweb:site.dicom.aeTitle", "orthweb:site.dicom.port",
                "orthweb:site.clients", "orthweb:site.clients[].name", "orthweb:site.clients[].aeTitle",
                "orthweb:site.clients[].network", "orthweb:site.ha", "orthweb:site.ha.instances", "orthweb:site.ports");
    }

    private static void collect(Class<?> record, String parent, List<String> keys) {
        for (RecordComponent c : Declarations.settings(record)) {
            String key = Declarations.key(c, parent);
            Class<?> section = Declarations.recordIn(c.getGenericType());
            if (section == null || c.getType() == Optional.class || c.getType() == List.class) {
                keys.add(key);
            }
            if (section != null) {
                collect(section, c.getType() == List.class ? key + "[]" : key, keys);
            }
        }
    }

    @Test
    void everyComponentOfTheConfigurationIsDeclaredOrKnownContext() {
        List<String> undeclared = new ArrayList<>();
        undeclared(StackConfig.class, undeclared);
        assertThat(undeclared).containsExactlyInAnyOrder("StackConfig.stack", "StackConfig.secretKeys", "StackConfig.subnets",
                "StackConfig.awsProvider");
    }

    private static void undeclared(Class<?> record, List<String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (!c.isAnnotationPresent(Setting.class)) {
                out.add(record.getSimpleName() + "." + c.getName());
                continue;
            }
            Class<?> section = Declarations.recordIn(c.getGenericType());
            if (section != null) {
                undeclared(section, out);
            }
        }
    }

    @Test
    void onlyTheHostSectionMayBeSecret() {
        assertThat(Declarations.secretAllowedKeys()).containsExactly("orthweb:host");
    }

    /** The README's configuration table is generated from the declarations; this keeps them equal. */
    @Test
    void readmeTableMatchesTheDeclarations() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String start = "<!-- settings-table:start (generated from the declarations; DeclarationsTest checks it) -->\n";
        String end = "<!-- settings-table:end -->";
        String expected = Declarations.markdownTable();
        Path generated = Path.of("target", "settings-table.md");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, expected);
        assertThat(readme).as("README.md must hold the table between the markers; expected text is in " + generated)
                .contains(start + expected + end);
    }
}
