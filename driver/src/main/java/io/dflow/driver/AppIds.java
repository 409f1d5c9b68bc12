package io.dflow.driver;

import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Application ids: sortable by start time, unique by a random suffix. */
final class AppIds {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AppIds() {}

  static String next() {
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return "app-" + LocalDateTime.now().format(STAMP) + "-" + HexFormat.of().formatHex(suffix);
  }
}
