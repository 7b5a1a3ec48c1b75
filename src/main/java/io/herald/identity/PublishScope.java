package io.herald.identity;

import io.herald.platform.TopicPattern;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;

/** Where a caller may publish: anywhere its role allows, or only to the topic patterns its API key names. */
public final class PublishScope {
    private PublishScope() {}

    /** Refuses (403) a publish to a topic outside the caller's patterns. */
    public static void check(SecurityIdentity identity, String topic) {
        List<TopicPattern> patterns = identity.getAttribute(ApiKeyAuthentication.PUBLISH_PATTERNS);
        if (patterns == null || patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(topic))) {
            return;
        }
        throw new ApiProblem(
                ProblemType.FORBIDDEN,
                "This API key may publish only to topics matching "
                        + patterns.stream().map(TopicPattern::toString).toList() + "; '" + topic
                        + "' is not one of them");
    }
}
