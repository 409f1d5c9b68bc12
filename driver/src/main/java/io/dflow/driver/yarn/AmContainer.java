package io.dflow.driver.yarn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.Resource;

/** The application master's container in a submission: its files, command, credentials, size, name and queue. */
final class AmContainer {
  private AmContainer() {}

  static void describe(ApplicationSubmissionContext context, YarnSettings settings, List<ShippedFile> files,
      List<String> command, java.nio.ByteBuffer tokens) {
    Map<String, LocalResource> resources = new HashMap<>();
    for (ShippedFile f : files) {
      resources.put(f.link(), f.resource());
    }
    context.setAMContainerSpec(ContainerLaunchContext.newInstance(resources, ContainerCommands.ENVIRONMENT,
        List.of(ContainerCommands.shellLine(command)), null, tokens, null));
    context.setApplicationName(settings.name());
    context.setApplicationType("DFLOW");
    context.setQueue(settings.queue());
    context.setResource(Resource.newInstance(settings.amContainerMb(), 1));
    // the ResourceManager caps it at its yarn.resourcemanager.am.max-attempts
    context.setMaxAppAttempts(settings.maxAppAttempts());
  }
}
