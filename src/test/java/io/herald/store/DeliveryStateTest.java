package io.herald.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryStateTest {

    @Test
    void theApiNamesAreTheContractsDeliveryStates() {
        List<String> contract = Arrays.stream(io.herald.client.model.DeliveryState.values())
                .map(io.herald.client.model.DeliveryState::getValue)
                .toList();
        assertEquals(
                contract,
                Arrays.stream(DeliveryState.values())
                        .map(DeliveryState::apiName)
                        .toList());
    }

    @Test
    void anApiNameReadsBack() {
        for (DeliveryState state : DeliveryState.values()) {
            assertEquals(state, DeliveryState.ofApiName(state.apiName()));
        }
    }
}
