package io.dflow.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hash of a key that is the same in every JVM, so that a key lands in the same partition
 * whichever executor writes it. {@code hashCode()} is used where it is stable (strings, boxed
 * numbers, classes that define it); enums, whose {@code hashCode} is an identity hash, are
 * hashed by class and constant name; records, pairs, lists, sets and optionals are hashed from
 * the stable hashes of their parts. A key whose class keeps {@code Object.hashCode} is refused:
 * equal keys would not even group together.
 */
public final class StableHash {
  private StableHash() {}

  /** How a class's instances are hashed, decided once per class. */
  private enum Kind { HASH_CODE, ENUM, RECORD, LIST, SET, MAP, BYTES, UNSTABLE }

  private static final ClassValue<Kind> KINDS = new ClassValue<>() {
    @Override
    protected Kind computeValue(Class<?> type) {
      return classify(type);
    }
  };

  private static final ClassValue<MethodHandle[]> RECORD_PARTS = new ClassValue<>() {
    @Override
    protected MethodHandle[] computeValue(Class<?> type) {
      RecordComponent[] parts = type.getRecordComponents();
      MethodHandle[] handles = new MethodHandle[parts.length];
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      for (int i = 0; i < parts.length; i++) {
        try {
          parts[i].getAccessor().setAccessible(true);
          handles[i] = lookup.unreflect(parts[i].getAccessor());
        } catch (IllegalAccessException | RuntimeException e) {
          throw new IllegalArgumentException("cannot read component " + parts[i].getName()
              + " of key record " + type.getName() + " to hash it: " + e.getMessage(), e);
        }
      }
      return handles;
    }
  };

  /** The stable hash of {@code key} ({@code null} hashes to 0). */
  public static int of(Object key) {
    if (key == null) {
      return 0;
    }
    if (key instanceof String || key instanceof Long || key instanceof Integer) {
      return key.hashCode();
    }
    return switch (KINDS.get(key.getClass())) {
      case HASH_CODE -> key.hashCode();
      case ENUM -> {
        Enum<?> e = (Enum<?>) key;
        yield 31 * e.getDeclaringClass().getName().hashCode() + e.name().hashCode();
      }
      case BYTES -> Arrays.hashCode((byte[]) key);
      case RECORD -> ofRecord(key);
      case LIST -> {
        int h = 1;
        for (Object item : (List<?>) key) {
          h = 31 * h + of(item);
        }
        yield h;
      }
      case SET -> {
        int h = 0;
        for (Object item : (Set<?>) key) {
          h += of(item);
        }
        yield h;
      }
      case MAP -> {
        int h = 0;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) key).entrySet()) {
          h += of(e.getKey()) ^ of(e.getValue());
        }
        yield h;
      }
      case UNSTABLE -> throw new IllegalArgumentException(unstableMessage(key.getClass()));
    };
  }

  /**
   * Fails at plan time, naming the class, when keys of {@code type} cannot be hashed the same
   * way in every JVM. Interfaces and {@code Object} pass: the check then happens per key.
   */
  public static void checkKeyType(Class<?> type) {
    if (!type.isInterface() && type != Object.class && KINDS.get(type) == Kind.UNSTABLE) {
      throw new IllegalArgumentException(unstableMessage(type));
    }
  }

  private static String unstableMessage(Class<?> type) {
    return "key class " + type.getName() + " keeps Object.hashCode, which differs from JVM to"
        + " JVM (and makes equal keys distinct): give it equals and hashCode, or make it a"
        + " record, an enum or a String";
  }

  private static int ofRecord(Object key) {
    int h = key.getClass().getName().hashCode();
    for (MethodHandle part : RECORD_PARTS.get(key.getClass())) {
      try {
        h = 31 * h + of(part.invoke(key));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("cannot read a component of key " + key.getClass().getName(), t);
      }
    }
    return h;
  }

  private static Kind classify(Class<?> type) {
    if (type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
      return Kind.ENUM;
    }
    if (type == byte[].class) {
      return Kind.BYTES;
    }
    if (type == Pair.class || type.isRecord()) {
      return Kind.RECORD;
    }
    if (List.class.isAssignableFrom(type)) {
      return Kind.LIST;
    }
    if (Set.class.isAssignableFrom(type)) {
      return Kind.SET;
    }
    if (Map.class.isAssignableFrom(type)) {
      return Kind.MAP;
    }
    if (type.isArray()) {
      return Kind.UNSTABLE;
    }
    try {
      Class<?> declaring = type.getMethod("hashCode").getDeclaringClass();
      return declaring == Object.class ? Kind.UNSTABLE : Kind.HASH_CODE;
    } catch (NoSuchMethodException e) {
      return Kind.UNSTABLE;
    }
  }
}
