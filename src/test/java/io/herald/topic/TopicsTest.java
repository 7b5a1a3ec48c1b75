package io.herald.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.ProblemType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The topics table's versioned update: two writers that read the same version, the second is refused. */
@QuarkusTest
class TopicsTest {
    @Inject
    Topics topics;

    @Inject
    TopicService service;

    @Test
    void aWriterThatReadAnOlderVersionIsRefusedAndChangesNothing() {
        String name = "versioned." + UUID.randomUUID().toString().substring(0, 8);
        service.create(new TopicIn(name, null, null, null, null));
        Topic first = topics.find(name);
        Topic second = topics.find(name);

        first.description = "written first";
        topics.update(first);
        second.description = "written from a stale read";
        ApiProblem refused = assertThrows(ApiProblem.class, () -> topics.update(second));

        assertEquals(ProblemType.CONFLICT, refused.type());
        Topic stored = topics.find(name);
        assertEquals("written first", stored.description);
        assertEquals(1, stored.version);
    }
}
