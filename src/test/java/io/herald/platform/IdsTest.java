package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsAreUniquePrefixedAndSortInCreationOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(Ids.next("evt"));
        }
        assertEquals(ids.size(), new HashSet<>(ids).size());
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(ids, sorted, "ids made one after another sort in that order");
        assertTrue(ids.get(0).matches("evt_[0-9A-HJKMNP-TV-Z]{26}"), ids.get(0));
    }
}
