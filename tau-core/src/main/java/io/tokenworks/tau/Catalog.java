package io.tokenworks.tau;

import io.tokenworks.tau.actor.Command;
import io.tokenworks.tau.actor.SeriesActor;
import io.tokenworks.tau.storage.BlockSupply;
import io.tokenworks.tau.storage.ChunkCache;
import io.tokenworks.tau.storage.Manifest;
import io.tokenworks.tau.storage.Manifest.LensEntry;
import io.tokenworks.tau.storage.Manifest.SeriesEntry;
import io.tokenworks.tau.storage.SeriesData;
import io.tokenworks.tau.storage.SeriesStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which series and lenses exist. Readers look up the concurrent maps without locks; every change
 * runs on the engine's single catalog thread, which writes the manifest before the change becomes
 * visible, so the catalog on disk is never behind an acknowledged create, drop or lens definition.
 */
final class Catalog {

  /** Makes the actor of a series (id, label, data, store). */
  interface ActorFactory {
    SeriesActor create(long id, Label label, SeriesData data, SeriesStore store);
  }

  private final Path dataDirectory;
  private final TauConfig config;
  private final BlockSupply blocks;
  private final ChunkCache chunkCache;
  private final ActorFactory actors;
  private final ConcurrentHashMap<Label, SeriesActor> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Label, LensEntry> lenses = new ConcurrentHashMap<>();
  private final LinkedHashMap<Label, LensEntry> lensOrder = new LinkedHashMap<>();
  private volatile List<Label> lensLabels = List.of();
  private long nextSeriesId;

  Catalog(
      Path dataDirectory,
      TauConfig config,
      Manifest manifest,
      BlockSupply blocks,
      ChunkCache chunkCache,
      ActorFactory actors) {
    this.dataDirectory = dataDirectory;
    this.config = config;
    this.blocks = blocks;
    this.chunkCache = chunkCache;
    this.actors = actors;
    this.nextSeriesId = manifest.nextSeriesId();
    for (LensEntry lens : manifest.lenses()) {
      lenses.put(lens.label(), lens);
      lensOrder.put(lens.label(), lens);
    }
    lensLabels = List.copyOf(lensOrder.keySet());
  }

  /** Recovery: registers a series loaded from disk. */
  void addRecovered(SeriesActor actor) {
    series.put(actor.label(), actor);
  }

  SeriesActor series(Label label) {
    return series.get(label);
  }

  Map<Label, SeriesActor> allSeries() {
    return series;
  }

  /** The lens named {@code label}; throws LENS_NOT_FOUND when there is none. */
  LensEntry existingLens(Label label) {
    LensEntry entry = lenses.get(label);
    if (entry == null) {
      throw new TauException(TauError.LENS_NOT_FOUND, "lens " + label + " does not exist");
    }
    return entry;
  }

  /** The series named {@code label}; throws SERIES_NOT_FOUND when there is none. */
  SeriesActor existingSeries(Label label) {
    SeriesActor actor = series.get(label);
    if (actor == null) {
      throw new TauException(TauError.SERIES_NOT_FOUND, "series " + label + " does not exist");
    }
    return actor;
  }

  List<Label> lensLabels() {
    return lensLabels;
  }

  int lensCount() {
    return lenses.size();
  }

  // ---- changes: catalog thread only ----

  void createSeries(Label label) throws IOException {
    if (series.containsKey(label)) {
      throw new TauException(TauError.SERIES_ALREADY_EXISTS, "series " + label + " already exists");
    }
    if (series.size() >= config.maxSeries()) {
      throw new TauException(
          TauError.LIMIT_REACHED, "maxSeries=" + config.maxSeries() + " series exist already");
    }
    long id = nextSeriesId++;
    SeriesStore store =
        dataDirectory == null ? null : SeriesStore.create(dataDirectory, id, chunkCache);
    SeriesActor actor = actors.create(id, label, new SeriesData(blocks), store);
    persist(seriesEntries(null, actor), lensOrder.values());
    series.put(label, actor);
  }

  /**
   * Removes the series from the catalog and returns its actor so the caller can close it and delete
   * files.
   */
  SeriesActor dropSeries(Label label) throws IOException {
    SeriesActor actor = existingSeries(label);
    persist(seriesEntries(label, null), lensOrder.values());
    series.remove(label);
    return actor;
  }

  void createLens(Label label, Label source, List<Transform> chain) throws IOException {
    if (lenses.containsKey(label)) {
      throw new TauException(TauError.LENS_ALREADY_EXISTS, "lens " + label + " already exists");
    }
    if (lenses.size() >= config.maxLenses()) {
      throw new TauException(
          TauError.LIMIT_REACHED, "maxLenses=" + config.maxLenses() + " lenses exist already");
    }
    if (chain.size() > Lenses.MAX_CHAIN) {
      throw new TauException(
          TauError.LIMIT_REACHED, "a lens may chain at most " + Lenses.MAX_CHAIN + " transforms");
    }
    LensEntry entry = new LensEntry(label, source, List.copyOf(chain));
    LinkedHashMap<Label, LensEntry> next = new LinkedHashMap<>(lensOrder);
    next.put(label, entry);
    persist(seriesEntries(null, null), next.values());
    lenses.put(label, entry);
    lensOrder.put(label, entry);
    lensLabels = List.copyOf(lensOrder.keySet());
  }

  /** Defines {@code label} as {@code second ∘ first} (see {@link TauEngine#composeLens}). */
  void composeLens(Label label, Label first, Label second) throws IOException {
    LensEntry inner = existingLens(first);
    LensEntry outer = existingLens(second);
    List<Transform> chain = new ArrayList<>(inner.transforms());
    chain.addAll(outer.transforms());
    createLens(label, inner.source(), chain);
  }

  void dropLens(Label label) throws IOException {
    existingLens(label);
    LinkedHashMap<Label, LensEntry> next = new LinkedHashMap<>(lensOrder);
    next.remove(label);
    persist(seriesEntries(null, null), next.values());
    lenses.remove(label);
    lensOrder.remove(label);
    lensLabels = List.copyOf(lensOrder.keySet());
  }

  /** The series entries as they will be with {@code without} removed and {@code with} added. */
  private List<SeriesEntry> seriesEntries(Label without, SeriesActor with) {
    List<SeriesEntry> entries = new ArrayList<>();
    for (SeriesActor actor : series.values()) {
      if (!actor.label().equals(without)) {
        entries.add(new SeriesEntry(actor.id(), actor.label()));
      }
    }
    if (with != null) {
      entries.add(new SeriesEntry(with.id(), with.label()));
    }
    return entries;
  }

  private void persist(List<SeriesEntry> seriesEntries, Collection<LensEntry> lensEntries)
      throws IOException {
    if (dataDirectory != null) {
      new Manifest(nextSeriesId, seriesEntries, List.copyOf(lensEntries)).write(dataDirectory);
    }
  }

  /** Queues a command that must not be lost to a full mailbox, waiting for room. */
  static CompletableFuture<Void> offerPatiently(SeriesActor actor, Command.Control command) {
    while (!actor.offerControl(command)) {
      Thread.onSpinWait();
      Thread.yield();
    }
    return command.done();
  }
}
