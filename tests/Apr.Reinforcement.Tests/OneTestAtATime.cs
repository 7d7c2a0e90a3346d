// Tests in this assembly run one at a time. Torch's thread count and random seed are process-wide
// (torch.set_num_threads, torch.manual_seed) and the code under test sets them (SftTrainer, GrpoTrainer,
// the solve/eval/train/rl verbs, the tests' own seeding before building a model). With xunit's default
// of running test classes in parallel, one class could reseed torch between another's seed and its
// model construction, or change the thread count under a running forward. A lock around every
// seed-and-construct pair would keep some parallelism, but one call site that forgets it brings the
// race back; on a 2-core machine where torch already uses both cores, running serially costs little.
// (Torch's process-wide settings are to move into one owner in src; until then this is the test side.)
[assembly: CollectionBehavior(DisableTestParallelization = true)]
