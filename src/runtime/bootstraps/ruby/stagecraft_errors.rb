# frozen_string_literal: true

# Errors as AWS's Ruby runtime reports them: errorType `Function<Class>` (raised by the handler)
# or `Init<Class>` (raised while loading it), the message, and the backtrace's lines.
module StagecraftErrors
  # The classes whose type AWS's runtime puts in the Lambda-Runtime-Function-Error-Type header;
  # others are sent there as Function<UserException>.
  ALLOWED = %w[ArgumentError NoMethodError Exception StandardError NameError LoadError SystemExit SystemStackError].freeze
  RUNTIME_DIR = File.expand_path(__dir__)

  # An exception wrapped with its classification; `critical` ends the runtime after its answer.
  class LambdaError < StandardError
    attr_reader :original, :classification, :critical

    def initialize(original, classification, critical: false)
      super(original.message)
      @original = original
      @classification = classification
      @critical = critical
    end

    def error_type
      "#{classification}<#{original.class}>"
    end

    def header_type
      ALLOWED.include?(original.class.to_s) ? error_type : "#{classification}<UserException>"
    end

    def to_lambda_response
      { errorMessage: original.message, errorType: error_type, stackTrace: StagecraftErrors.user_frames(original) }
    end
  end

  # The backtrace down to the first frame of the runtime's own files (at most 100 lines).
  def self.user_frames(error)
    frames = []
    (error.backtrace_locations || []).first(100).each do |location|
      break if location.absolute_path.to_s.start_with?(RUNTIME_DIR)

      frames << location.to_s
    end
    frames
  end
end
