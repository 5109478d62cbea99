package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small function artifacts for the emulator tests, laid out as a build and Lambda lay them out. */
final class FunctionArtifacts {
  private FunctionArtifacts() {}

  /**
   * A shaded jar, as a function module's {@code package} produces: the handler class and the
   * classes of each dependency jar (given by one class it holds), merged; signatures, manifests and
   * module descriptors left out, the first of duplicate entries kept.
   */
  static Path shadedJar(Path jar, Class<?> handler, List<Class<?>> dependencies) {
    Set<String> written = new HashSet<>();
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      try (InputStream in = classFile(handler)) {
        write(out, entryName(handler), in, written);
      }
      for (Class<?> dependency : dependencies) {
        try (JarFile dependencyJar = new JarFile(jarOf(dependency).toFile())) {
          for (ZipEntry entry : Collections.list(dependencyJar.entries())) {
            if (!entry.isDirectory() && !excludedByShading(entry.getName())) {
              try (InputStream in = dependencyJar.getInputStream(entry)) {
                write(out, entry.getName(), in, written);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  /**
   * A function's artifact with more classes of this test class path added at its root (e.g. a probe
   * handler that is measured beside the function on the same dependencies); each class is copied
   * alone, so it must have no nested classes.
   */
  static Path withClasses(Path artifact, Path jar, List<Class<?>> classes, List<Path> jars) {
    Set<String> written = new HashSet<>();
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> type : classes) {
        try (InputStream in = classFile(type)) {
          write(out, entryName(type), in, written);
        }
      }
      List<Path> sources = new java.util.ArrayList<>(List.of(artifact));
      sources.addAll(jars);
      for (Path path : sources) {
        try (JarFile source = new JarFile(path.toFile())) {
          for (ZipEntry entry : Collections.list(source.entries())) {
            if (!entry.isDirectory()
                && (path.equals(artifact) || !excludedByShading(entry.getName()))) {
              try (InputStream in = source.getInputStream(entry)) {
                write(out, entry.getName(), in, written);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  /**
   * Lambda's zip layout, as a directory: the handler class at the root, dependency jars in lib/.
   */
  static Path zipLayout(Path directory, Class<?> handler, List<Class<?>> dependencies) {
    try {
      Path handlerFile = directory.resolve(entryName(handler));
      Files.createDirectories(handlerFile.getParent());
      try (InputStream in = classFile(handler)) {
        Files.copy(in, handlerFile);
      }
      Path lib = Files.createDirectories(directory.resolve("lib"));
      for (Class<?> dependency : dependencies) {
        Path jar = jarOf(dependency);
        Files.copy(jar, lib.resolve(jar.getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return directory;
  }

  static Path jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean excludedByShading(String name) {
    return name.equals("META-INF/MANIFEST.MF")
        || name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)")
        || name.endsWith("module-info.class");
  }

  private static InputStream classFile(Class<?> type) {
    return type.getResourceAsStream(type.getSimpleName() + ".class");
  }

  private static String entryName(Class<?> type) {
    return type.getName().replace('.', '/') + ".class";
  }

  private static void write(ZipOutputStream out, String name, InputStream in, Set<String> written)
      throws IOException {
    if (written.add(name)) {
      out.putNextEntry(new ZipEntry(name));
      in.transferTo(out);
      out.closeEntry();
    }
  }
}
