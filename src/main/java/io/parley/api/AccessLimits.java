package io.parley.api;

import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Limits per client on what could be used to grab or guess: session starts (so that nobody takes
 * every free nick in a moment) and invite tries (so that guessing a private room's invite is
 * hopeless), each {@code parley.limit.sign-ins-burst} at once, then {@code
 * parley.limit.sign-ins-per-second} (429); and typing signals ({@code parley.limit.typing-*}).
 */
@ApplicationScoped
public class AccessLimits {

  private final ClientRateLimit sessionStarts;
  private final ClientRateLimit inviteTries;
  private final ClientRateLimit typing;

  @Inject
  public AccessLimits(ParleyConfig config) {
    this.sessionStarts =
        new ClientRateLimit(
            LimitExceededException.Limit.SESSION_STARTS_PER_CLIENT,
            config.signIn().signInsPerSecond(),
            config.signIn().signInsBurst(),
            System::nanoTime);
    this.inviteTries =
        new ClientRateLimit(
            LimitExceededException.Limit.INVITE_TRIES_PER_CLIENT,
            config.signIn().signInsPerSecond(),
            config.signIn().signInsBurst(),
            System::nanoTime);
    this.typing =
        new ClientRateLimit(
            LimitExceededException.Limit.TYPING_PER_CLIENT,
            config.typingPerSecond(),
            config.typingBurst(),
            System::nanoTime);
  }

  /** For the CDI proxy only. */
  protected AccessLimits() {
    this.sessionStarts = null;
    this.inviteTries = null;
    this.typing = null;
  }

  /** Takes one typing signal from the client's bucket, or throws with when the next is free. */
  public void typing(String client) {
    typing.admit(client);
  }

  /** Takes one session start from the client's bucket, or throws with when the next is free. */
  public void startSession(String client) {
    sessionStarts.admit(client);
  }

  /** Takes one try of an invite from the client's bucket, or throws with when the next is free. */
  public void tryInvite(String client) {
    inviteTries.admit(client);
  }
}
