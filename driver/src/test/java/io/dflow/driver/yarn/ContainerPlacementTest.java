package io.dflow.driver.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the containers still asked for are shared out among the hosts the waiting tasks prefer. */
class ContainerPlacementTest {
  @Test
  void containersGoToHostsInProportionToTheirWaitingTasks() {
    List<List<String>> placed = ContainerPlacement.hosts(Map.of("h1", 60, "h2", 30, "h3", 10), 10);
    Map<String, Integer> firsts = new HashMap<>();
    for (List<String> hosts : placed) {
      firsts.merge(hosts.get(0), 1, Integer::sum);
      assertEquals(3, hosts.size(), "each request names the other hosts too: " + hosts);
      assertEquals(3, hosts.stream().distinct().count(), hosts.toString());
    }
    assertEquals(Map.of("h1", 6, "h2", 3, "h3", 1), firsts);
  }

  @Test
  void oneContainerPrefersTheHostsWithTheMostTasksAndAtMostThree() {
    assertEquals(List.of(List.of("h2", "h4", "h1")),
        ContainerPlacement.hosts(Map.of("h1", 2, "h2", 9, "h3", 1, "h4", 5), 1));
  }

  @Test
  void twoContainersFirstPreferDifferentHosts() {
    List<List<String>> placed = ContainerPlacement.hosts(Map.of("h1", 6, "h2", 3, "h3", 1), 2);
    assertEquals(List.of(List.of("h1", "h2", "h3"), List.of("h2", "h1", "h3")), placed);
  }

  @Test
  void noPreferredHostsMeansRequestsAnywhere() {
    assertEquals(List.of(List.of(), List.of()), ContainerPlacement.hosts(Map.of(), 2));
    assertTrue(ContainerPlacement.hosts(Map.of("h1", 3), 0).isEmpty());
  }
}
