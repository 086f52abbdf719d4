# frozen_string_literal: true

# A pre-started generic process ("cell", src/runtime/cell-stock.ts). Started with the runtime's
# variables only, it has booted the interpreter and loaded the bootstrap's libraries when it tells
# the platform it is ready (an 'N {"cell":true}' frame on fd 4, src/runtime/channel.ts); then it
# waits for its function's variables (the 'S' frame on fd 3) and becomes what a fresh process of
# that function is: those variables, and the load path and gem paths they name. Invocations then
# travel over the HTTP Runtime API as for any Ruby process; fd 3 stays open (the platform reads its
# end closing as a broken runtime) and carries nothing more.
module StagecraftCell
  READY = %(N 0 {"cell":true}\n)

  class << self
    # The fd the platform's frames arrive on when this process is a cell, else nil.
    def in_fd
      cell = ENV.delete('_STAGECRAFT_CELL') == '1'
      fd = Integer(ENV.delete('_STAGECRAFT_IN_FD') || '', exception: false)
      cell && fd && fd > 2 ? fd : nil
    end

    def become_function(in_fd, out_fd)
      rubylib = ENV.fetch('RUBYLIB', '')
      IO.for_fd(out_fd, 'wb', autoclose: false).tap { |io| io.sync = true }.write(READY)
      await_variables(IO.for_fd(in_fd, 'rb', autoclose: false)).each { |key, value| ENV[key] = value.to_s }
      reload_paths(rubylib)
    end

    private

    # The 'S' frame's variables (frames: `TYPE LENGTH META-JSON\n BODY`).
    def await_variables(input)
      buffer = ''.b
      loop do
        newline = buffer.index("\n")
        if newline
          type, length, meta = buffer.byteslice(0, newline).split(' ', 3)
          finish = newline + 1 + Integer(length)
          if buffer.bytesize >= finish
            buffer = buffer.byteslice(finish, buffer.bytesize - finish)
            return JSON.parse(meta.force_encoding(Encoding::UTF_8))['env'] || {} if type == 'S'

            next
          end
        end
        buffer << input.readpartial(65_536)
      end
    rescue EOFError
      exit!(0) # the platform went away
    end

    # RUBYLIB is read at start: a fresh process has its entries first on $LOAD_PATH, as they are now
    # (unsandboxed, the layers' host directory instead of /opt). RubyGems reads GEM_PATH, GEM_HOME and
    # HOME when it first needs them, which the bootstrap's requires did: it reads them again.
    def reload_paths(cell_rubylib)
      entries = ->(value) { value.split(File::PATH_SEPARATOR).reject(&:empty?) }
      function_rubylib = ENV.fetch('RUBYLIB', '')
      if function_rubylib != cell_rubylib
        entries.call(cell_rubylib).each do |dir|
          at = $LOAD_PATH.index(dir)
          $LOAD_PATH.delete_at(at) if at
        end
        $LOAD_PATH.unshift(*entries.call(function_rubylib))
      end
      Gem.clear_paths if defined?(Gem)
    end
  end
end
