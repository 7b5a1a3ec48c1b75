package io.herald.topic;

import io.herald.platform.Database;
import io.herald.platform.Paging;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.herald.platform.problem.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Topics: the rules and the storage. The REST resource and the console both call this, nothing below it. */
@ApplicationScoped
public class TopicService {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    private final TopicConfig config;
    private final Topics topics;

    TopicService(TopicConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
    }

    @Transactional
    public TopicOut create(TopicIn in) {
        if (in == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body describing the topic is required");
        }
        Violations violations = new Violations();
        TopicRules.checkName(in.name(), violations);
        TopicRules.checkText("/description", in.description(), TopicRules.MAX_DESCRIPTION_LENGTH, violations);
        TopicRules.checkText("/owner", in.owner(), TopicRules.MAX_OWNER_LENGTH, violations);
        Duration retention = in.retention() == null
                ? config.defaultRetention()
                : TopicRules.parseRetention(in.retention(), violations).orElse(null);
        violations.throwIfAny();

        if (topics.exists(in.name())) {
            throw alreadyExists(in.name());
        }
        Instant now = now();
        Topic topic = new Topic();
        topic.name = in.name();
        topic.description = blankToNull(in.description());
        topic.owner = blankToNull(in.owner());
        topic.retentionSeconds = retention.toSeconds();
        topic.compatibility = in.compatibility() == null ? config.defaultCompatibility() : in.compatibility();
        topic.createdAt = now;
        topic.updatedAt = now;
        try {
            topics.insert(topic);
        } catch (Database.DatabaseFailure e) {
            // Another request created the same name between our check and our insert.
            if (Database.isUniqueViolation(e)) {
                throw alreadyExists(in.name());
            }
            throw e;
        }
        return TopicOut.of(topic);
    }

    public TopicPage list(String after, String limit) {
        int size = Paging.limit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        List<Topic> found = topics.page(after == null || after.isEmpty() ? null : after, size + 1);
        boolean more = found.size() > size;
        List<TopicOut> items = found.stream().limit(size).map(TopicOut::of).toList();
        return new TopicPage(items, more ? items.get(items.size() - 1).name() : null);
    }

    public TopicOut get(String name) {
        return TopicOut.of(find(name));
    }

    public boolean exists(String name) {
        return topics.exists(name);
    }

    @Transactional
    public TopicOut update(String name, TopicPatch patch) {
        if (patch == null) {
            throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "A JSON body with the fields to change is required");
        }
        Topic topic = find(name);
        Topics.requireWritable(name);
        Violations violations = new Violations();
        TopicRules.checkText("/description", patch.description(), TopicRules.MAX_DESCRIPTION_LENGTH, violations);
        TopicRules.checkText("/owner", patch.owner(), TopicRules.MAX_OWNER_LENGTH, violations);
        Duration retention = patch.retention() == null
                ? null
                : TopicRules.parseRetention(patch.retention(), violations).orElse(null);
        violations.throwIfAny();

        if (patch.description() != null) {
            topic.description = blankToNull(patch.description());
        }
        if (patch.owner() != null) {
            topic.owner = blankToNull(patch.owner());
        }
        if (retention != null) {
            topic.retentionSeconds = retention.toSeconds();
        }
        if (patch.compatibility() != null) {
            topic.compatibility = patch.compatibility();
        }
        topic.updatedAt = now();
        topics.update(topic);
        return TopicOut.of(topic);
    }

    @Transactional
    public void delete(String name) {
        Topics.requireWritable(find(name).name);
        topics.delete(name);
    }

    private Topic find(String name) {
        Topic topic = topics.find(name);
        if (topic == null) {
            throw ApiProblem.notFound("Topic", name);
        }
        return topic;
    }

    private static ApiProblem alreadyExists(String name) {
        return new ApiProblem(ProblemType.ALREADY_EXISTS, "Topic '" + name + "' already exists");
    }

    /** PostgreSQL keeps microseconds; truncating here makes what we return equal what a later read returns. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
