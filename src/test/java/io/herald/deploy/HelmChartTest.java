package io.herald.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/herald without a cluster: Helm itself (its Go library, through helm-java) lints and renders the chart,
 * and every manifest it renders is read strictly into the Kubernetes API model (fabric8's, generated from the
 * Kubernetes API types): an unknown kind, an unknown field or a wrong type fails, as the API server would refuse it.
 */
class HelmChartTest {
    static final Path CHART = Path.of("deploy/helm/herald");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The Kubernetes version the manifests are rendered for (the chart needs 1.25 or later). */
    private static final String KUBERNETES = "1.30.0";

    private static final Map<String, String> REQUIRED = Map.of(
            "database.url", "jdbc:postgresql://postgres:5432/herald",
            "broker.host", "rabbitmq",
            "secrets.sessionKey", "0123456789abcdef0123456789abcdef",
            "secrets.secretsKey", "0123456789abcdef0123456789abcdef0123");

    @Test
    void theChartLintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void theDefaultReleaseIsValidAndRunsAsTheReadmeSays() throws Exception {
        Map<String, HasMetadata> manifests = render(REQUIRED);

        assertEquals(
                Set.of("ServiceAccount", "ConfigMap", "Secret", "Service", "Deployment", "PodDisruptionBudget"),
                kinds(manifests));
        Deployment deployment = (Deployment) manifests.get("Deployment");
        Container herald =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("/q/health/ready", herald.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", herald.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", herald.getStartupProbe().getHttpGet().getPath());
        assertTrue(herald.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(herald.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .getRunAsNonRoot());
        assertEquals("768Mi", herald.getResources().getLimits().get("memory").toString());
        assertEquals(2, deployment.getSpec().getReplicas());

        ConfigMap config = (ConfigMap) manifests.get("ConfigMap");
        Duration delay = Duration.parse("PT" + config.getData().get("HERALD_SHUTDOWN_DELAY"));
        Duration grace = Duration.parse("PT" + config.getData().get("HERALD_SHUTDOWN_GRACE"));
        long terminationGrace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(
                terminationGrace > delay.plus(grace.multipliedBy(2)).toSeconds(),
                "Kubernetes waits longer than an instance takes to stop");
        assertEquals("jdbc:postgresql://postgres:5432/herald", config.getData().get("HERALD_DB_URL"));
    }

    @Test
    void everyOptionalPartRendersValid() throws Exception {
        Map<String, String> values = new LinkedHashMap<>(REQUIRED);
        values.put("ingress.enabled", "true");
        values.put("ingress.className", "nginx");
        values.put("ingress.tls[0].secretName", "herald-tls");
        values.put("ingress.tls[0].hosts[0]", "herald.example.com");
        values.put("autoscaling.enabled", "true");
        values.put("serviceMonitor.enabled", "true");
        values.put("networkPolicy.enabled", "true");
        values.put("oidc.enabled", "true");
        values.put("oidc.issuer", "https://sso.example.com/realms/acme");
        values.put("oidc.consoleClientSecret", "s3cret");
        values.put("database.existingSecret", "postgres-credentials");
        values.put("broker.existingSecret", "rabbitmq-credentials");
        values.put("config.HERALD_DELIVERY_MAX_IN_FLIGHT", "20");

        Map<String, HasMetadata> manifests = render(values);

        assertTrue(kinds(manifests)
                .containsAll(Set.of("Ingress", "HorizontalPodAutoscaler", "ServiceMonitor", "NetworkPolicy")));
        Deployment deployment = (Deployment) manifests.get("Deployment");
        assertNull(deployment.getSpec().getReplicas(), "the autoscaler owns the replica count");
        assertEquals(
                "Deployment",
                ((HorizontalPodAutoscaler) manifests.get("HorizontalPodAutoscaler"))
                        .getSpec()
                        .getScaleTargetRef()
                        .getKind());
        ConfigMap config = (ConfigMap) manifests.get("ConfigMap");
        assertEquals("20", config.getData().get("HERALD_DELIVERY_MAX_IN_FLIGHT"));
        assertEquals("https://sso.example.com/realms/acme", config.getData().get("HERALD_OIDC_ISSUER"));
        List<String> fromSecrets = new ArrayList<>();
        deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .forEach(env ->
                        fromSecrets.add(env.getValueFrom().getSecretKeyRef().getName()));
        assertEquals(List.of("postgres-credentials", "rabbitmq-credentials"), fromSecrets);
    }

    @Test
    void everySettingTheChartGivesIsOneTheReadmeDocuments() throws Exception {
        Map<String, String> values = new LinkedHashMap<>(REQUIRED);
        values.put("oidc.enabled", "true");
        values.put("oidc.issuer", "https://sso.example.com/realms/acme");
        values.put("oidc.audience", "herald");
        values.put("oidc.rolePrefix", "herald-");
        ConfigMap config = (ConfigMap) render(values).get("ConfigMap");
        Set<String> documented = DeployDocs.documentedSettings();

        Set<String> unknown = new TreeSet<>();
        config.getData().keySet().stream()
                .filter(name -> name.startsWith("HERALD_") && !documented.contains(name))
                .forEach(unknown::add);

        assertEquals(Set.of(), unknown, "a setting the README does not name is silently ignored by Herald");
    }

    @Test
    void aReleaseWithoutItsDatabaseOrWithAMistypedValueIsRefused() {
        Map<String, String> noDatabase = new LinkedHashMap<>(REQUIRED);
        noDatabase.remove("database.url");
        Exception refused = assertThrows(Exception.class, () -> render(noDatabase));
        assertTrue(refused.getMessage().contains("database.url is required"), refused.getMessage());

        Map<String, String> typo = new LinkedHashMap<>(REQUIRED);
        typo.put("replicas", "3");
        Exception mistyped = assertThrows(Exception.class, () -> render(typo));
        assertTrue(mistyped.getMessage().contains("replicas"), mistyped.getMessage());
    }

    /** The rendered manifests by kind (this chart renders one of each), each read strictly. */
    static Map<String, HasMetadata> render(Map<String, String> values) throws Exception {
        TemplateCommand template = new Helm(CHART)
                .template()
                .withName("herald")
                .withNamespace("events")
                .withKubeVersion(KUBERNETES);
        values.forEach(template::set);
        Map<String, HasMetadata> byKind = new LinkedHashMap<>();
        for (String document : template.call().split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            HasMetadata manifest = strict(document);
            assertNull(byKind.put(manifest.getKind(), manifest), "one " + manifest.getKind());
        }
        return byKind;
    }

    /** A manifest read into its API type; fails on an unknown kind, an unknown field (at any depth) or a wrong type. */
    static HasMetadata strict(String document) throws Exception {
        KubernetesResource resource = YAML.readValue(document, KubernetesResource.class);
        assertFalse(
                resource instanceof GenericKubernetesResource,
                "a kind Kubernetes (or the Prometheus Operator) does not define:\n" + document);
        List<String> unknown = new ArrayList<>();
        unknownFields(resource, "", unknown);
        assertEquals(List.of(), unknown, "fields the API does not define:\n" + document);
        return (HasMetadata) resource;
    }

    /** Walks the model: whatever Jackson could not map landed in an additionalProperties map. */
    private static void unknownFields(Object node, String path, List<String> unknown)
            throws IllegalAccessException, InvocationTargetException {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                unknownFields(entry.getValue(), path + "." + entry.getKey(), unknown);
            }
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(field -> unknown.add(path + "." + field));
            } else {
                unknownFields(value, path + "." + property(getter.getName()), unknown);
            }
        }
    }

    private static String property(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }

    private static Set<String> kinds(Map<String, HasMetadata> manifests) {
        return new TreeSet<>(manifests.keySet());
    }
}
