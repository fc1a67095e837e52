namespace CredentialVending.Lambda.Tests.Fakes;

/// <summary>A clock that moves only when a test says so; its timers fire when <see cref="Advance"/> passes them.</summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;

    public FakeTimeProvider(DateTimeOffset start) => _now = start;

    /// <summary>How many timers wait to fire: a test knows the code under test is waiting on this clock.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(timer => timer.Due is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        List<FakeTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(timer => timer.Due <= _now).ToList();
            foreach (var timer in due)
            {
                timer.Due = timer.Period == Timeout.InfiniteTimeSpan ? null : _now + timer.Period;
            }
        }

        // Outside the lock: a callback may create or change timers.
        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
            timer.Set(dueTime, period, _now);
        }

        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }
        public TimeSpan Period { get; private set; } = Timeout.InfiniteTimeSpan;

        public void Set(TimeSpan dueTime, TimeSpan period, DateTimeOffset now)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
            Period = period;
        }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Set(dueTime, period, owner._now);
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
